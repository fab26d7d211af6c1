from django.apps import AppConfig

from bangfu.core import importers


class PostsConfig(AppConfig):
    name = "bangfu.posts"
    label = "posts"
    verbose_name = "公益性岗位"

    def ready(self):
        from bangfu.posts.command import DUTY_IMPORTER, POSTS_IMPORTER

        importers.register(POSTS_IMPORTER)  # `bangfu import posts`
        importers.register(DUTY_IMPORTER)  # `bangfu import duty`
        from bangfu.ledgers.base import register as register_ledger
        from bangfu.posts.ledger import ledger

        register_ledger(ledger())  # 公益性岗位台账
        try:
            from bangfu.payouts import kinds as payout_kinds
        except ImportError:  # the payout core is not installed
            return
        from bangfu.posts.payroll import payout_kind

        payout_kinds.register(payout_kind())  # `bangfu payouts build welfare-post`
