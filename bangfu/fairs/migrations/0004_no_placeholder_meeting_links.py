"""Online interviews booked while the meeting link defaulted to a placeholder (meet.example.gov.cn, a
service that does not exist) keep no link: their pages say there is none instead of showing it again."""

from django.db import migrations

PLACEHOLDER = "https://meet.example.gov.cn/"


def forget_placeholder_links(apps, schema_editor):
    Interview = apps.get_model("fairs", "Interview")
    Interview.objects.filter(meeting_url__startswith=PLACEHOLDER).update(meeting_url="")


class Migration(migrations.Migration):
    dependencies = [("fairs", "0003_interview_on_site")]

    operations = [migrations.RunPython(forget_placeholder_links, migrations.RunPython.noop)]
