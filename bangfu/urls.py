from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from bangfu.api import me, router, token_view

api_patterns = [
    path("auth/token/", token_view, name="api-token"),
    path("me/", me, name="api-me"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
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
    path("jobs/", include("bangfu.jobs.urls")),
    path("matching/", include("bangfu.matching.urls")),
    path("employment/", include("bangfu.employment.urls")),
    path("referrals/", include("bangfu.referrals.urls")),
    path("notices/", include("bangfu.notices.urls")),
    path("fairs/", include("bangfu.fairs.urls")),
    path("rules/", include("bangfu.rules.urls")),
    path("formats/", include("bangfu.formats.urls")),
    path("api/v1/", include(api_patterns)),
]

handler404 = "bangfu.core.errors.not_found"
handler403 = "bangfu.core.errors.forbidden"
handler500 = "bangfu.core.errors.server_error"
