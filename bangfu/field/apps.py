from django.apps import AppConfig


class FieldConfig(AppConfig):
    name = "bangfu.field"
    label = "field"
    verbose_name = "村级离线工作"
