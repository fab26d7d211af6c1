from django.apps import AppConfig


class SelfServiceConfig(AppConfig):
    name = "bangfu.selfservice"
    label = "selfservice"
    verbose_name = "劳动者自助服务"
