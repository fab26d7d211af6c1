"""The REST API under /api/v1/: one router for every app's viewsets."""

from rest_framework.routers import DefaultRouter

from bangfu.accounts.api import UserViewSet, me, token_view
from bangfu.areas.api import AreaViewSet
from bangfu.audit.api import AuditEventViewSet
from bangfu.compare.api import ComparisonRunViewSet, FindingViewSet
from bangfu.dispatch.api import DispatchRoundViewSet
from bangfu.employers.api import EmployerViewSet
from bangfu.jobs.api import JobViewSet
from bangfu.ledgers.api import ledger_routes
from bangfu.payouts.api import PayoutListViewSet
from bangfu.posts.api import DutyViewSet, PostViewSet, SpellViewSet
from bangfu.referrals.api import ReferralViewSet, ServiceNormView
from bangfu.registry.api import HouseholdViewSet, PersonViewSet
from bangfu.stats.api import StatsView
from bangfu.supervision.api import RectificationViewSet, ReplyViewSet, TaskViewSet
from bangfu.targets.api import TargetViewSet
from bangfu.tracking.api import WarningViewSet

router = DefaultRouter()
router.register("areas", AreaViewSet, basename="area")
router.register("users", UserViewSet, basename="user")
router.register("audit-events", AuditEventViewSet, basename="audit-event")
router.register("people", PersonViewSet, basename="person")
router.register("households", HouseholdViewSet, basename="household")
router.register("comparison-runs", ComparisonRunViewSet, basename="comparison-run")
router.register("comparison-findings", FindingViewSet, basename="comparison-finding")
router.register("employers", EmployerViewSet, basename="employer")
router.register("jobs", JobViewSet, basename="job")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("warnings", WarningViewSet, basename="warning")
router.register("targets", TargetViewSet, basename="target")
router.register("dispatch-rounds", DispatchRoundViewSet, basename="dispatch-round")
router.register("payout-lists", PayoutListViewSet, basename="payout-list")
router.register("supervision-tasks", TaskViewSet, basename="supervision-task")
router.register("supervision-replies", ReplyViewSet, basename="supervision-reply")
router.register("rectifications", RectificationViewSet, basename="rectification")
router.register("welfare-posts", PostViewSet, basename="welfare-post")
router.register("welfare-post-holders", SpellViewSet, basename="welfare-post-holder")
router.register("welfare-post-duty", DutyViewSet, basename="welfare-post-duty")
for prefix, viewset, basename in ledger_routes():  # one per registered ledger (bangfu/ledgers)
    router.register(prefix, viewset, basename=basename)

__all__ = ["ServiceNormView", "StatsView", "me", "router", "token_view"]
