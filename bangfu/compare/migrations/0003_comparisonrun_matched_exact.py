from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("compare", "0002_finding_bulk_writes"),
    ]

    operations = [
        migrations.AddField(
            model_name="comparisonrun",
            name="matched_exact",
            field=models.PositiveIntegerField(default=0, verbose_name="精确匹配行数"),
        ),
    ]
