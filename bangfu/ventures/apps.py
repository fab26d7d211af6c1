from django.apps import AppConfig


class VenturesConfig(AppConfig):
    name = "bangfu.ventures"
    label = "ventures"
    verbose_name = "创业"

    def ready(self):
        from bangfu.ledgers.base import register as register_ledger
        from bangfu.payouts import kinds as payout_kinds
        from bangfu.ventures.ledger import ledger
        from bangfu.ventures.payout import payout_kinds as kinds

        register_ledger(ledger())  # 自主创业台账
        for kind in kinds():
            payout_kinds.register(kind)  # `bangfu payouts build startup-subsidy|jobs-subsidy|loan-interest`
