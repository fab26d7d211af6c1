from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "bangfu.dashboard"
    label = "dashboard"
    verbose_name = "工作台"

    def ready(self):
        from bangfu.dashboard import panels

        panels.register(panels.warnings_panel)
