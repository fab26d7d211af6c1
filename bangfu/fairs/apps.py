from django.apps import AppConfig


class FairsConfig(AppConfig):
    name = "bangfu.fairs"
    label = "fairs"
    verbose_name = "招聘会"

    def ready(self):
        from bangfu.fairs import meetings  # noqa: F401  (registers the meeting service's system check)
