from django.apps import AppConfig

from bangfu.core import importers


class AreasConfig(AppConfig):
    name = "bangfu.areas"
    label = "areas"
    verbose_name = "行政区划"

    def ready(self):
        from bangfu.areas.command import IMPORTER

        importers.register(IMPORTER)  # `bangfu import designations`
