"""The inbox (each user's own notices, any kind of account) and the SMS outbox of the user's area."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from bangfu.core.access import staff_required
from bangfu.core.views import paginate
from bangfu.notices import actions
from bangfu.notices.models import Notification, SmsMessage, SmsStatus


@login_required
def inbox(request):
    notices = Notification.objects.for_recipient(request.user)
    if request.GET.get("unread"):
        notices = notices.unread()
    context = paginate(request, notices, per_page=30)
    context.update({"nav": "inbox", "unread_only": bool(request.GET.get("unread"))})
    return render(request, "notices/inbox.html", context)


@login_required
def badge(request):
    """The unread count for the menu, fetched by htmx after the page loads (and every minute), so that no
    page pays a query for it."""
    count = Notification.objects.for_recipient(request.user).unread().count()
    if not count:
        return HttpResponse("")
    return HttpResponse(
        format_html('<span class="badge rounded-pill text-bg-danger" id="inbox-badge">{}</span>', count)
    )


@login_required
def open_notice(request, pk: int):
    """Marks one of one's own notices read and follows its link."""
    notice = get_object_or_404(Notification.objects.for_recipient(request.user), pk=pk)
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    if notice.link and url_has_allowed_host_and_scheme(notice.link, allowed_hosts={request.get_host()}):
        return redirect(notice.link)
    return redirect("notices:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = actions.mark_read(request.user)
    messages.success(request, f"已将 {count} 条通知标为已读。")
    return redirect("notices:inbox")


@staff_required
def outbox(request):
    sms = SmsMessage.objects.for_user(request.user).select_related("area")
    status = request.GET.get("status", "")
    if status in SmsStatus.values:
        sms = sms.filter(status=status)
    context = paginate(request, sms)
    context.update({"nav": "inbox", "statuses": SmsStatus.choices, "status": status})
    return render(request, "notices/outbox.html", context)
