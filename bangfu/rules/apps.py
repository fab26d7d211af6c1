from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "bangfu.rules"
    label = "rules"
    verbose_name = "政策规则"
