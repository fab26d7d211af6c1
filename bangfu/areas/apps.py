from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "bangfu.areas"
    label = "areas"
    verbose_name = "行政区划"
