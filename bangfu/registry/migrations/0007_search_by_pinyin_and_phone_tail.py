"""Search by whole pinyin ("ran" finds 冉) and by the last digits of a phone: two derived columns, filled
for the people already registered by one UPDATE each database runs by itself (the pinyin computed once per
distinct name, not per person), indexed after they are filled."""

from django.db import migrations, models

from bangfu.registry.names import full_pinyin


def phone_key(phone):
    return "".join(ch for ch in phone or "" if ch.isdigit())[::-1][:20]


def pinyin(name):
    return full_pinyin(name)[:150]


def backfill(apps, schema_editor):
    connection = schema_editor.connection
    person = apps.get_model("registry", "Person")._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            raw = connection.connection
            raw.create_function("bangfu_pinyin", 1, pinyin, deterministic=True)
            raw.create_function("bangfu_phone_key", 1, phone_key, deterministic=True)
            cursor.execute(
                f"UPDATE {person} SET name_pinyin = bangfu_pinyin(name), phone_reversed = bangfu_phone_key(phone)"
            )
            return
        # PostgreSQL: the distinct names and their pinyin into a temporary table (COPY), then one UPDATE.
        cursor.execute(f"SELECT DISTINCT name FROM {person}")
        names = [name for (name,) in cursor.fetchall()]
        cursor.execute("CREATE TEMPORARY TABLE bangfu_pinyin (name varchar(50) PRIMARY KEY, pinyin varchar(150))")
        with cursor.cursor.copy("COPY bangfu_pinyin (name, pinyin) FROM STDIN") as copy:
            for name in names:
                copy.write_row((name, pinyin(name)))
        cursor.execute(
            f"UPDATE {person} p SET name_pinyin = t.pinyin, "
            f"phone_reversed = left(reverse(regexp_replace(p.phone, '[^0-9]', '', 'g')), 20) "
            f"FROM bangfu_pinyin t WHERE p.name = t.name"
        )
        cursor.execute("DROP TABLE bangfu_pinyin")


class Migration(migrations.Migration):

    dependencies = [
        ('areas', '0001_initial'),
        ('registry', '0006_import_batch_runner'),
    ]

    operations = [
        migrations.AddField(
            model_name='person',
            name='name_pinyin',
            field=models.CharField(default='', editable=False, max_length=150, verbose_name='姓名全拼'),
        ),
        migrations.AddField(
            model_name='person',
            name='phone_reversed',
            field=models.CharField(default='', editable=False, max_length=20, verbose_name='联系电话倒序'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(fields=['name_pinyin'], name='registry_person_pinyin'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(fields=['phone_reversed'], name='registry_person_phone_rev'),
        ),
    ]
