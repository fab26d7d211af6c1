from django.apps import AppConfig

from bangfu.core import importers


class TargetsConfig(AppConfig):
    name = "bangfu.targets"
    label = "targets"
    verbose_name = "目标"

    def ready(self):
        from bangfu.targets.command import IMPORTER

        importers.register(IMPORTER)  # `bangfu import targets`
        from bangfu.stats.export import register_columns
        from bangfu.targets.progress import stats_columns

        register_columns(stats_columns)  # `bangfu stats`: <figure>目标 and <figure>完成率
        from bangfu.dashboard.panels import register
        from bangfu.targets.panels import targets_panel

        register(targets_panel)  # 工作台: figures against targets
