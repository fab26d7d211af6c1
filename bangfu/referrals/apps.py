from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "bangfu.referrals"
    label = "referrals"
    verbose_name = "推荐"

    def ready(self):
        from bangfu.referrals import receivers  # noqa: F401
