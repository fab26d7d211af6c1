"""`{% supervision_panel %}` (the 工作台's 督办 panel) and `|status_on:today` (a receiving area's status)."""

from django import template

from bangfu.supervision.panels import panel

register = template.Library()


@register.filter
def status_on(assignment, today):
    return assignment.status_on(today)


@register.inclusion_tag("supervision/_panel.html", takes_context=True)
def supervision_panel(context):
    user = context["request"].user
    return {"panel": panel(user), "user": user}
