from django.apps import AppConfig
from django.db.models.signals import post_migrate

from bangfu.core import importers


class JobsConfig(AppConfig):
    name = "bangfu.jobs"
    label = "jobs"
    verbose_name = "岗位"

    def ready(self):
        from bangfu.jobs.command import IMPORTER

        importers.register(IMPORTER)  # `bangfu import jobs`
        # After migrate, and after a test flush: the classification and the default rule are always there.
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="jobs-reference-data")


def _after_migrate(sender, using="default", **kwargs):
    from django.db import connections

    from bangfu.jobs.reference import load_reference_data

    tables = connections[using].introspection.table_names()
    if "jobs_occupation" in tables and "jobs_suitabilityrule" in tables:
        load_reference_data()
