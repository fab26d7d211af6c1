from django.apps import AppConfig

from bangfu.core import importers


class TargetsConfig(AppConfig):
    name = "bangfu.targets"
    label = "targets"
    verbose_name = "目标"

    def ready(self):
        from bangfu.targets.command import IMPORTER

        importers.register(IMPORTER)  # `bangfu import targets`
