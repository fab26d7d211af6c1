"""/ledgers/: one page and one export per registered ledger (read after every app's ready())."""

from django.urls import path

from bangfu.ledgers import views
from bangfu.ledgers.base import LEDGERS

app_name = "ledgers"
urlpatterns = [path("", views.index, name="index")]
for _key in LEDGERS:
    urlpatterns += [
        path(f"{_key}/", views.ledger_list, {"key": _key}, name=_key),
        path(f"{_key}/export/", views.ledger_export, {"key": _key}, name=f"{_key}_export"),
    ]
