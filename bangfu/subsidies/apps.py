from django.apps import AppConfig


class SubsidiesConfig(AppConfig):
    name = "bangfu.subsidies"
    label = "subsidies"
    verbose_name = "就业补贴"

    def ready(self):
        from bangfu.payouts.kinds import register
        from bangfu.subsidies import rewards, transport

        register(transport.KIND)  # 一次性交通补助, a year's list from employment records
        register(rewards.KIND)  # 车间基地奖补, a year's list per workshop and base
