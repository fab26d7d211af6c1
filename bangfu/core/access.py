"""Who may use the staff pages: logged in, a staff account, bound to an area."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

NO_AREA_MESSAGE = "该账号未绑定管辖区域，不能使用工作人员功能，请联系管理员。"
MUST_CHANGE_PASSWORD_MESSAGE = "请先登录网页修改初始密码，再使用接口。"


def is_area_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff_account and user.area_id)


def staff_required(view):
    """login_required, then a 403 in Chinese for accounts that are not area-bound staff."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_area_staff(request.user):
            raise PermissionDenied(NO_AREA_MESSAGE)
        return view(request, *args, **kwargs)

    return wrapper
