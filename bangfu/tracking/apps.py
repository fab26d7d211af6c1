from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "bangfu.tracking"
    label = "tracking"
    verbose_name = "三线跟踪"
