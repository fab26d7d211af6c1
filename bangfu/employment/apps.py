from django.apps import AppConfig


class EmploymentConfig(AppConfig):
    name = "bangfu.employment"
    label = "employment"
    verbose_name = "就业记录"
