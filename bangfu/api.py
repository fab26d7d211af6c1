"""The REST API under /api/v1/: one router for every app's viewsets."""

from rest_framework.routers import DefaultRouter

from bangfu.accounts.api import UserViewSet, me, token_view
from bangfu.areas.api import AreaViewSet
from bangfu.audit.api import AuditEventViewSet
from bangfu.registry.api import HouseholdViewSet, PersonViewSet

router = DefaultRouter()
router.register("areas", AreaViewSet, basename="area")
router.register("users", UserViewSet, basename="user")
router.register("audit-events", AuditEventViewSet, basename="audit-event")
router.register("people", PersonViewSet, basename="person")
router.register("households", HouseholdViewSet, basename="household")

__all__ = ["me", "router", "token_view"]
