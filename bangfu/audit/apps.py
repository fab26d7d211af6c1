from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "bangfu.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self):
        from bangfu.audit import signals  # noqa: F401
