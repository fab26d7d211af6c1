from datetime import date

from django.db import migrations


def add_default(apps, schema_editor):
    apps.get_model("supervision", "ReminderRule").objects.get_or_create(
        region_prefix="", effective_from=date(2000, 1, 1), defaults={"remind_days": 3, "note": "系统默认值"}
    )


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]
    operations = [migrations.RunPython(add_default, migrations.RunPython.noop)]
