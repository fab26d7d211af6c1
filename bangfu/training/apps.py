from django.apps import AppConfig

from bangfu.core import importers


class TrainingConfig(AppConfig):
    name = "bangfu.training"
    label = "training"
    verbose_name = "职业技能培训"

    def ready(self):
        from bangfu.training.command import IMPORTER

        importers.register(IMPORTER)  # `bangfu import training`
        from bangfu.ledgers.base import register as register_ledger
        from bangfu.training.ledger import ledger

        register_ledger(ledger())  # 就业培训台账
        from bangfu.payouts import kinds as payout_kinds
        from bangfu.training.payout import payout_kind

        payout_kinds.register(payout_kind())  # `bangfu payouts build training-subsidy`
