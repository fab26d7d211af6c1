from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SupervisionConfig(AppConfig):
    name = "bangfu.supervision"
    label = "supervision"
    verbose_name = "督办"

    def ready(self):
        from bangfu.dashboard.panels import register
        from bangfu.supervision.panels import supervision_panel

        register(supervision_panel)  # 工作台: the tasks due and overdue for the user's area
        # After migrate, and after a test flush: the national 督办提醒 rule (migration 0002's default).
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="supervision-reminder-rule")


def _after_migrate(sender, using="default", **kwargs):
    from django.db import connections

    from bangfu.supervision.models import ensure_national_reminder_rule

    if "supervision_reminderrule" in connections[using].introspection.table_names():
        ensure_national_reminder_rule()
