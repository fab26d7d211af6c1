"""PostgreSQL: leave 40 % of each registry_person page free, so that rewriting a person's derived values
(务工状态, 务工时间(月), the statuses data comparison keeps true — none of them indexed) is a heap-only
update: the new row version goes on the same page and none of the table's ten indexes is touched. With
full pages every such update wrote ten index entries: an employment import that changed 790,000 people's
务工状态 spent 47 s in that UPDATE on a tuned server, 14 s at this fill factor (docs/benchmarks.md).
Pages written before stay full until rewritten (VACUUM FULL registry_person, see docs/operations.md).
Nothing on SQLite, which has no fill factor."""

from django.db import migrations


def set_fillfactor(apps, schema_editor, value=60):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE registry_person SET (fillfactor = {int(value)})")


def reset_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE registry_person RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("registry", "0009_wants_work")]

    operations = [migrations.RunPython(set_fillfactor, reset_fillfactor)]
