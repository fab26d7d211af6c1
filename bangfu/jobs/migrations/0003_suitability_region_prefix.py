# The suitability rule takes the shape of every regional rule (bangfu/core/rules.py): the region becomes
# an area-code prefix instead of a foreign key. Three steps, each its own transaction, because PostgreSQL
# refuses ALTER TABLE after rows changed a foreign key in the same transaction: 0003 adds the columns,
# 0004 copies each rule's region into its prefix, 0005 drops the foreign key.

import bangfu.core.rules
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("areas", "0001_initial"),
        ("jobs", "0002_job_occupation_confidence_jobimport_suitabilityrule"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="suitabilityrule",
            name="region_prefix",
            field=models.CharField(blank=True, default="", max_length=12, validators=[bangfu.core.rules.validate_region_prefix], verbose_name="适用区域（区划代码前缀，空为全国）"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="suitabilityrule",
            name="created_by",
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="登记人"),
        ),
        migrations.AlterField(
            model_name="suitabilityrule",
            name="note",
            field=models.CharField(blank=True, max_length=200, verbose_name="依据或说明"),
        ),
    ]
