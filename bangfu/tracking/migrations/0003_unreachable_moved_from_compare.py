"""The 联系不上 list moves from `compare` to `tracking` with its rows: the table is taken over as it is (the
state moves, the table is renamed), then gains the visits that flag and clear, and the rule that a person
has one current flag at most."""

import django.db.models.deletion
from django.utils import timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import Count, Min


def merge_duplicate_flags(apps, schema_editor):
    """Before one current flag per person is enforced: where two were flagged (a race the old page did not
    guard against), the oldest stays and the others are cleared, with the reason."""
    Unreachable = apps.get_model("tracking", "Unreachable")
    current = Unreachable.objects.filter(cleared_at__isnull=True)
    doubled = current.values("person").annotate(n=Count("id"), first=Min("id")).filter(n__gt=1)
    for row in doubled:
        current.filter(person=row["person"]).exclude(pk=row["first"]).update(
            cleared_at=timezone.now(), clear_note="重复标记，迁移时合并到最早的标记"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("compare", "0010_finding_ambiguous_identity"),
        ("tracking", "0002_national_rules"),
        ("areas", "0001_initial"),
        ("registry", "0007_search_by_pinyin_and_phone_tail"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Unreachable",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("flagged_on", models.DateField(verbose_name="标记日期")),
                        ("note", models.CharField(blank=True, max_length=200, verbose_name="情况说明")),
                        ("cleared_at", models.DateTimeField(blank=True, null=True, verbose_name="取消时间")),
                        ("clear_note", models.CharField(blank=True, max_length=200, verbose_name="取消说明")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="登记时间")),
                        ("area", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="areas.area", verbose_name="所在村")),
                        ("cleared_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="取消人")),
                        ("flagged_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="标记人")),
                        ("person", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="registry.person", verbose_name="人员")),
                    ],
                    options={
                        "verbose_name": "联系不上人员",
                        "verbose_name_plural": "联系不上人员",
                        "ordering": ["-flagged_on", "-id"],
                        "db_table": "compare_unreachable",
                        "indexes": [models.Index(fields=["area", "cleared_at"], name="compare_unr_area_id_7ba307_idx")],
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name="unreachable", table=None),
        migrations.RenameIndex(
            model_name="unreachable", new_name="tracking_unreachable_area", old_name="compare_unr_area_id_7ba307_idx"
        ),
        migrations.AddField(
            model_name="unreachable",
            name="visit",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="tracking.visit", verbose_name="标记依据的回访"),
        ),
        migrations.AddField(
            model_name="unreachable",
            name="cleared_by_visit",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="tracking.visit", verbose_name="联系上的回访"),
        ),
        migrations.RunPython(merge_duplicate_flags, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="unreachable",
            constraint=models.UniqueConstraint(condition=models.Q(cleared_at__isnull=True), fields=("person",), name="tracking_unreachable_current"),
        ),
    ]
