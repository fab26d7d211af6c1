from django.conf import settings
from django.urls import include, path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from bangfu.api import ServiceNormView, StatsView, me, router, token_view

# The vendored Swagger UI and ReDoc style themselves with inline styles (and ReDoc searches in a worker it
# builds from a blob); their two pages alone allow that. Scripts stay our own files: Swagger UI's start-up
# script is served as a file of its own (the split view).
API_DOCS_CSP = {
    **settings.SECURE_CSP,
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "worker-src": [CSP.SELF, "blob:"],
}

api_patterns = [
    path("auth/token/", token_view, name="api-token"),
    path("me/", me, name="api-me"),
    path("service-norms/", ServiceNormView.as_view(), name="service-norm-list"),
    path("stats/", StatsView.as_view(), name="stats-table"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        csp_override(API_DOCS_CSP)(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path(
        "redoc/",
        csp_override(API_DOCS_CSP)(SpectacularRedocView.as_view(url_name="api-schema")),
        name="api-redoc",
    ),
    path("", include(router.urls)),
]

urlpatterns = [
    path("", include("bangfu.dashboard.urls")),
    path("", include("bangfu.accounts.urls")),
    path("areas/", include("bangfu.areas.urls")),
    path("audit/", include("bangfu.audit.urls")),
    path("registry/", include("bangfu.registry.urls")),
    path("compare/", include("bangfu.compare.urls")),
    path("employers/", include("bangfu.employers.urls")),
    path(
        "", include("bangfu.workforce.urls")
    ),  # the portal's 用工报送 under employers/portal/, and workforce/
    path("jobs/", include("bangfu.jobs.urls")),
    path("matching/", include("bangfu.matching.urls")),
    path("employment/", include("bangfu.employment.urls")),
    path("tracking/", include("bangfu.tracking.urls")),
    path("targets/", include("bangfu.targets.urls")),
    path("dispatch/", include("bangfu.dispatch.urls")),
    path("referrals/", include("bangfu.referrals.urls")),
    path("notices/", include("bangfu.notices.urls")),
    path("fairs/", include("bangfu.fairs.urls")),
    path("rules/", include("bangfu.rules.urls")),
    path("formats/", include("bangfu.formats.urls")),
    path("supervision/", include("bangfu.supervision.urls")),
    path("payouts/", include("bangfu.payouts.urls")),
    path("posts/", include("bangfu.posts.urls")),
    path("training/", include("bangfu.training.urls")),
    path("ventures/", include("bangfu.ventures.urls")),
    path("pension/", include("bangfu.pension.urls")),
    path("stats/", include("bangfu.stats.urls")),
    path("exports/", include("bangfu.exports.urls")),
    path("ledgers/", include("bangfu.ledgers.urls")),
    path("field/", include("bangfu.field.urls")),
    path("self/", include("bangfu.selfservice.urls")),
    path("api/v1/", include(api_patterns)),
]

handler400 = "bangfu.core.errors.bad_request"
handler404 = "bangfu.core.errors.not_found"
handler403 = "bangfu.core.errors.forbidden"
handler500 = "bangfu.core.errors.server_error"
