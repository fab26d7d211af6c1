from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "bangfu.employers"
    label = "employers"
    verbose_name = "企业台帐"
