from django import template

from bangfu.tracking.timeline import KINDS, timeline

register = template.Library()


@register.inclusion_tag("tracking/_person_timeline.html", takes_context=True)
def person_timeline(context, person):
    """A person's trajectory, newest first, for the person page: `{% person_timeline person %}`.
    The caller has already opened `person` through the user's scope."""
    entries = timeline(person, context.get("user"))
    used = {e.kind for e in entries}
    return {
        "person": person,
        "entries": entries,
        "kinds": [(key, kind) for key, kind in KINDS.items() if key in used],
    }
