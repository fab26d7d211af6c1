from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DispatchConfig(AppConfig):
    name = "bangfu.dispatch"
    label = "dispatch"
    verbose_name = "调度与通报"

    def ready(self):
        # After migrate, and after a test flush: the national 调度与年报 rule (a rule, not a constant).
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="dispatch-rule")


def _after_migrate(sender, using="default", **kwargs):
    from django.db import connections

    from bangfu.dispatch.models import ensure_national_dispatch_rule

    if "dispatch_dispatchrule" in connections[using].introspection.table_names():
        ensure_national_dispatch_rule()
