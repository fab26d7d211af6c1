"""数据交换说明 holds no records: its examples are placed in the user's own subtree (views.place_for starts
from Area.objects.for_user), which test_templates.py checks for an outsider."""

OWN_OR_PUBLIC = {"formats:index", "formats:template"}
URL_KWARGS = {"formats:template": {"key": "registry"}}
