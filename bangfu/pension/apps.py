from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PensionConfig(AppConfig):
    name = "bangfu.pension"
    label = "pension"
    verbose_name = "社保扶贫"

    def ready(self):
        from bangfu.payouts import kinds as payout_kinds
        from bangfu.pension import receivers  # noqa: F401  (settlements kept from comparison runs)
        from bangfu.pension.roster import KIND

        payout_kinds.register(KIND)  # `bangfu payouts build pension-premium`
        # After migrate, and after a test flush: the national 养老保险代缴 and 养老待遇领取 rules.
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="pension-national-rules")


def _after_migrate(sender, using="default", **kwargs):
    from django.db import connections

    from bangfu.pension.models import ensure_national_ageing_rule, ensure_national_premium_rule

    tables = connections[using].introspection.table_names()
    if "pension_premiumrule" in tables:
        ensure_national_premium_rule()
    if "pension_ageingrule" in tables:
        ensure_national_ageing_rule()
