from django.apps import AppConfig


class PayoutsConfig(AppConfig):
    name = "bangfu.payouts"
    label = "payouts"
    verbose_name = "补贴发放"

    def ready(self):
        from bangfu.payouts import receivers
        from bangfu.registry.signals import person_deceased

        # A death recorded later stops the person's open, not-yet-paid lines.
        person_deceased.connect(receivers.person_deceased, dispatch_uid="payouts_person_deceased")
