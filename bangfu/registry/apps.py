from django.apps import AppConfig
from django.db.models.signals import post_migrate

from bangfu.core import importers


class RegistryConfig(AppConfig):
    name = "bangfu.registry"
    label = "registry"
    verbose_name = "一库：帮扶对象名册"

    def ready(self):
        from bangfu.registry.command import IMPORTER

        importers.register(IMPORTER)  # `bangfu import registry`
        from bangfu.exports.kinds import register
        from bangfu.registry.export import EXPORT_KIND

        register(EXPORT_KIND)  # the list's export, in the request or in the background
        # After migrate, and after a test flush: the national working-age band (a rule, as data) is there.
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="registry-labor-age")


def _after_migrate(sender, using="default", **kwargs):
    from django.db import connections

    from bangfu.registry.models import ensure_national_labor_age

    if "registry_laboragerule" in connections[using].introspection.table_names():
        ensure_national_labor_age()
