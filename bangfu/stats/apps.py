from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "bangfu.stats"
    label = "stats"
    verbose_name = "统计"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from bangfu.employment.signals import records_changed
        from bangfu.registry.models import Person
        from bangfu.registry.signals import person_deceased
        from bangfu.stats import figures, receivers, store

        figures.register_reader(store.kept)
        records_changed.connect(receivers.records_changed, dispatch_uid="stats_records_changed")
        post_save.connect(receivers.person_saved, sender=Person, dispatch_uid="stats_person_saved")
        post_delete.connect(receivers.person_saved, sender=Person, dispatch_uid="stats_person_deleted")
        person_deceased.connect(receivers.person_deceased, dispatch_uid="stats_person_deceased")
