# Drops the suitability rule's region foreign key, now held as a region prefix; see 0003.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("jobs", "0004_suitability_region_data"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="suitabilityrule",
            name="suitability_rule_region_date",
        ),
        migrations.RemoveField(
            model_name="suitabilityrule",
            name="region",
        ),
        migrations.AlterModelOptions(
            name="suitabilityrule",
            options={"ordering": ["region_prefix", "-effective_from"], "verbose_name": "低技能适合规则", "verbose_name_plural": "低技能适合规则"},
        ),
        migrations.AddConstraint(
            model_name="suitabilityrule",
            constraint=models.UniqueConstraint(fields=("region_prefix", "effective_from"), name="jobs_suitabilityrule_region_date"),
        ),
    ]
