"""Who may use the laborer's pages: a signed-in, active laborer account linked to a living registry
person. Staff and enterprise accounts get a 403 here, as laborers get one on every staff page
(`core.access.staff_required`). The view is given the person: every query of these pages starts from it."""

from functools import wraps

from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from bangfu.accounts.models import Kind
from bangfu.selfservice.models import Account

NOT_LABORER_MESSAGE = "劳动者自助服务只供劳动者本人用手机号登录使用。"


def laborer_required(view):
    """Signs in through the laborer's own page; a 403 in Chinese for other kinds of account."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect("selfservice:login")
        if not (user.is_active and user.kind == Kind.LABORER):
            raise PermissionDenied(NOT_LABORER_MESSAGE)
        account = Account.objects.select_related("person__area").filter(user=user).first()
        if account is None or account.person.is_deceased:
            logout(request)
            return redirect("selfservice:login")
        request.laborer = account.person
        return view(request, account.person, *args, **kwargs)

    return wrapper
