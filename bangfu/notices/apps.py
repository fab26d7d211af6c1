from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "bangfu.notices"
    label = "notices"
    verbose_name = "通知"
