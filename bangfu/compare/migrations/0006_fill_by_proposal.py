"""A fill finding proposes one set of values for all its people (a village's people the source gives the
same values), instead of each person keeping their own: existing fills are split by their people's
values, each part keeping or getting a finding of its own, before FillPerson.values goes."""

from django.db import migrations

LABELS_OF_CHANGE = {"pension": "养老保险参保信息", "medical": "医保参保信息"}


def split_fills(apps, schema_editor):
    Finding = apps.get_model("compare", "Finding")
    FillPerson = apps.get_model("compare", "FillPerson")
    for fill in Finding.objects.filter(kind="fill").iterator(chunk_size=500):
        groups: dict[str, list] = {}
        for person_id, values in FillPerson.objects.filter(finding_id=fill.pk).values_list("person_id", "values"):
            key = repr(sorted(values.items()))
            groups.setdefault(key, [values]).append(person_id)
        for number, (values, *people) in enumerate(groups.values()):
            summary = f"名册中没有{LABELS_OF_CHANGE.get(fill.change, fill.change)}、来源中有的 {len(people)} 人"
            if number == 0:
                target = fill
            else:
                target = Finding.objects.get(pk=fill.pk)
                target.pk = None
            target.proposal, target.summary = {"person": values}, summary
            target.save()
            if number:
                FillPerson.objects.filter(finding_id=fill.pk, person_id__in=people).update(finding_id=target.pk)


class Migration(migrations.Migration):
    dependencies = [("compare", "0005_fill_people")]

    operations = [
        migrations.RunPython(split_fills, migrations.RunPython.noop),
        migrations.RemoveField(model_name="fillperson", name="values"),
    ]
