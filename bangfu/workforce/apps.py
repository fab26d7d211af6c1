from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "bangfu.workforce"
    label = "workforce"
    verbose_name = "企业用工报送"
