# Copies each suitability rule's region (a foreign key to areas) into its region prefix; see 0003.

from django.db import migrations

# Digits of the significant code prefix per area level (bangfu.areas.scope.LEVEL_DIGITS, frozen here).
LEVEL_DIGITS = {0: 0, 1: 2, 2: 4, 3: 6, 4: 9, 5: 12}


def region_to_prefix(apps, schema_editor):
    SuitabilityRule = apps.get_model("jobs", "SuitabilityRule")
    for rule in SuitabilityRule.objects.select_related("region").exclude(region=None):
        rule.region_prefix = rule.region.code[: LEVEL_DIGITS[rule.region.level]]
        rule.save(update_fields=["region_prefix"])


def prefix_to_region(apps, schema_editor):
    SuitabilityRule = apps.get_model("jobs", "SuitabilityRule")
    for rule in SuitabilityRule.objects.exclude(region_prefix=""):
        rule.region_id = rule.region_prefix.ljust(12, "0")
        rule.save(update_fields=["region"])


class Migration(migrations.Migration):

    dependencies = [
        ("jobs", "0003_suitability_region_prefix"),
    ]

    operations = [
        migrations.RunPython(region_to_prefix, prefix_to_region),
    ]
