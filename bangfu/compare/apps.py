from django.apps import AppConfig


class CompareConfig(AppConfig):
    name = "bangfu.compare"
    label = "compare"
    verbose_name = "数据比对"

    def ready(self):
        from bangfu.compare.export import EXPORT_KIND
        from bangfu.exports.kinds import register

        register(EXPORT_KIND)  # the findings list's export, in the request or in the background
