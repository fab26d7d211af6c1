"""API permission classes (kept apart from views to avoid import cycles with DRF settings)."""

from rest_framework import permissions


class IsStaffAccount(permissions.BasePermission):
    """Authenticated, active staff account bound to an area (enterprise/laborer portals come separately)."""

    message = "需要登录工作人员账号。"

    def has_permission(self, request, view):
        user = request.user
        return bool(
            user and user.is_authenticated and user.is_active and user.is_staff_account and user.area_id
        )
