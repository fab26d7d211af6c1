from django.apps import AppConfig
from django.db.models.signals import post_migrate

from bangfu.core import importers


class TrackingConfig(AppConfig):
    name = "bangfu.tracking"
    label = "tracking"
    verbose_name = "三线跟踪"

    def ready(self):
        from bangfu.tracking.command import IMPORTER

        importers.register(IMPORTER)  # `bangfu import followups`
        # After migrate, and after a test flush: the national 跟踪回访 rule (EXCHANGE §9) is there.
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="tracking-follow-up-rule")


def _after_migrate(sender, using="default", **kwargs):
    from django.db import connections

    from bangfu.tracking.models import ensure_national_follow_up_rule

    if "tracking_followuprule" in connections[using].introspection.table_names():
        ensure_national_follow_up_rule()
