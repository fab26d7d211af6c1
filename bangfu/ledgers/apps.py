from django.apps import AppConfig


class LedgersConfig(AppConfig):
    name = "bangfu.ledgers"
    label = "ledgers"
    verbose_name = "台账"

    def ready(self):
        from bangfu.ledgers.standard import register_standard

        register_standard()
