from django.apps import AppConfig


class FormatsConfig(AppConfig):
    name = "bangfu.formats"
    label = "formats"
    verbose_name = "数据交换说明"
