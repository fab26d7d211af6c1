"""Area-scope rows for the ledgers: every ledger's page, export (small: written in the request) and API list
show county A's records to county A only (龙春生 the laborer and his employment record, 土地村苗绣扶贫车间,
the 龙潭镇送岗下乡 fair — made by the registry's, employment's, employers' and fairs' own cases)."""

from bangfu.ledgers.base import LEDGERS

LIST_VIEWS = {}
for _key in LEDGERS:
    LIST_VIEWS[f"ledgers:{_key}"] = ""
    LIST_VIEWS[f"ledgers:{_key}_export"] = "?format=csv"
    LIST_VIEWS[f"ledger-{_key}-list"] = ""
# The index lists the ledgers themselves: no area data.
OWN_OR_PUBLIC = {"ledgers:index"}
