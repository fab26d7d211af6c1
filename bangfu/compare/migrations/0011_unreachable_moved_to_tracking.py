"""The 联系不上 list is tracking's now (tracking 0003 took over the table and its rows): compare forgets it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("compare", "0010_finding_ambiguous_identity"),
        ("tracking", "0003_unreachable_moved_from_compare"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Unreachable")]),
    ]
