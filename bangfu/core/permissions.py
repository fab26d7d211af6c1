"""API permission classes (kept apart from views to avoid import cycles with DRF settings)."""

from rest_framework import permissions

from bangfu.core.access import is_area_staff


class IsStaffAccount(permissions.BasePermission):
    """Authenticated, active staff account bound to an area (enterprise/laborer portals come separately)."""

    message = "需要登录工作人员账号。"

    def has_permission(self, request, view):
        return bool(request.user) and is_area_staff(request.user)
