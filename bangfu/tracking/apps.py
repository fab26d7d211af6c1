from django.apps import AppConfig
from django.db.models.signals import post_migrate

from bangfu.core import importers


class TrackingConfig(AppConfig):
    name = "bangfu.tracking"
    label = "tracking"
    verbose_name = "三线跟踪"

    def ready(self):
        from bangfu.tracking import receivers  # noqa: F401  (warnings rescan on records, visits, deaths)
        from bangfu.tracking.command import IMPORTER

        importers.register(IMPORTER)  # `bangfu import followups`
        # After migrate, and after a test flush: the national 跟踪回访 and 就业预警 rules (EXCHANGE §9).
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="tracking-follow-up-rule")


def _after_migrate(sender, using="default", **kwargs):
    from django.db import connections

    from bangfu.tracking.models import ensure_national_follow_up_rule, ensure_national_warning_rule

    tables = connections[using].introspection.table_names()
    if "tracking_followuprule" in tables:
        ensure_national_follow_up_rule()
    if "tracking_warningrule" in tables:
        ensure_national_warning_rule()
