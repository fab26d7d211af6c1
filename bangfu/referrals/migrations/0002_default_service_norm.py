from datetime import date

from django.db import migrations


def add_default(apps, schema_editor):
    ServiceNorm = apps.get_model("referrals", "ServiceNorm")
    ServiceNorm.objects.get_or_create(
        region_prefix="",
        effective_from=date(2021, 1, 1),
        defaults={
            "offers_per_year": 3,
            "referrals_per_year": 3,
            "guidance_per_year": 1,
            "training_per_year": 1,
            "note": "有就业意愿的脱贫劳动力每年至少提供3次岗位信息；“311”就业服务（3次岗位推荐、1次职业指导、1次技能培训信息）",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]
    operations = [migrations.RunPython(add_default, migrations.RunPython.noop)]
