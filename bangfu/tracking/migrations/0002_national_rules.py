from datetime import date

from django.db import migrations

NOTE = "《数据交换说明》§9 全国默认值"


def add_defaults(apps, schema_editor):
    apps.get_model("tracking", "WarningRule").objects.get_or_create(
        region_prefix="",
        effective_from=date(2000, 1, 1),
        defaults={"leave_window_days": 30, "handle_days": 7, "note": NOTE},
    )
    apps.get_model("tracking", "FollowUpRule").objects.get_or_create(
        region_prefix="",
        effective_from=date(2000, 1, 1),
        defaults={"unemployed_interval_days": 30, "employed_interval_days": 90, "note": NOTE},
    )


class Migration(migrations.Migration):
    dependencies = [("tracking", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
