"""Area scope in one place: every page, API call, export and search starts from `for_user`.

A record belongs to an area (a 12-digit statistical code); a staff user sees the subtree of the area
they are bound to. Codes are hierarchical, so a subtree is a contiguous code range, which both SQLite and
PostgreSQL answer from a plain B-tree index without joins.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from bangfu.areas.models import Area

LEVEL_DIGITS = {0: 0, 1: 2, 2: 4, 3: 6, 4: 9, 5: 12}


def code_range(code: str, level: int) -> tuple[str, str]:
    """The inclusive range of 12-digit codes in the subtree of the area `code` at `level`."""
    prefix = code[: LEVEL_DIGITS[level]]
    return prefix.ljust(12, "0"), prefix.ljust(12, "9")


class AreaScopedQuerySet(models.QuerySet):
    """QuerySet for models that belong to an area.

    The model names the column holding its 12-digit area code in `scope_field` (a path such as
    "area" or "household__area"); `for_user` is the only place that filters by it.
    """

    def _scope_field(self) -> str:
        return self.model.scope_field

    def for_area(self, area: Area):
        low, high = area.code_range
        field = self._scope_field()
        # gte/lte rather than range: Django allows these on foreign keys too, and both use the index.
        return self.filter(**{f"{field}__gte": low, f"{field}__lte": high})

    def for_user(self, user):
        """What `user` may see: the subtree of their area; nothing for anonymous or non-staff accounts."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        area = getattr(user, "area", None)
        if area is None or not user.is_staff_account:
            return self.none()
        return self.for_area(area)
