from django.apps import AppConfig


class EmploymentConfig(AppConfig):
    name = "bangfu.employment"
    label = "employment"
    verbose_name = "就业记录"

    def ready(self):
        # The registry's 务工状态 and 务工时间(月) are derived from the records kept here (EXCHANGE §5).
        from bangfu.core import importers
        from bangfu.employment.command import IMPORTER
        from bangfu.employment.roster import KEEPER
        from bangfu.registry import claims

        claims.register(KEEPER)
        importers.register(IMPORTER)  # `bangfu import employment`
