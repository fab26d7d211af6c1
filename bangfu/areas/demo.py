"""Demo designations for the demo counties (bangfu/demo/build.py): 贫困村 listed in 2014, each a
脱贫村 since its exit day (2016–2020), both counties 深度贫困县 for 2017–2020 and 花垣县 a 重点帮扶县 since
2021, and a resettlement community (安置点). Deterministic, and skipped where the county has some already."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from bangfu.areas.actions import ImportCounts, Listing, save_listing
from bangfu.areas.models import Area, Designation, DesignationSource, Level

LISTED_ON = dt.date(2014, 5, 1)
EXITS = (
    dt.date(2016, 12, 20),
    dt.date(2017, 12, 25),
    dt.date(2018, 12, 28),
    dt.date(2019, 12, 20),
    dt.date(2020, 11, 16),
)
DEEP_POVERTY = (dt.date(2017, 11, 1), dt.date(2021, 1, 1))
KEY_COUNTY_FROM = dt.date(2021, 8, 27)
KEY_COUNTIES = ("433124",)  # 花垣县
BASIS = "演示数据"


@transaction.atomic
def build_designations_demo(counties) -> int:
    """The demo listings of each county that has none yet; returns how many were made."""
    counts = ImportCounts()
    for code in counties:
        county = Area.objects.get(code=code.ljust(12, "0"))
        if Designation.objects.for_area(county).exists():
            continue
        for listing in _listings(county):
            save_listing(None, listing, counts, source=DesignationSource.DEMO)
    return counts.created


def _listings(county: Area) -> list[Listing]:
    found = [Listing(county, "deep_poverty_county", DEEP_POVERTY[0], DEEP_POVERTY[1], BASIS)]
    if county.short_code in KEY_COUNTIES:
        found.append(Listing(county, "key_county", KEY_COUNTY_FROM, None, BASIS))
    villages = list(Area.objects.for_area(county).filter(level=Level.VILLAGE).order_by("code"))
    rural = [v for v in villages if v.name.endswith("村")]
    for index, village in enumerate(rural[::3]):  # one village in three was poor
        found.append(Listing(village, "poor_village", LISTED_ON, None, BASIS))
        # Every poor village had exited by the end of 2020; the exit ends its 贫困村 listing that day.
        found.append(Listing(village, "exited_village", EXITS[index % len(EXITS)], None, BASIS))
    communities = [v for v in villages if v.name.endswith("社区")]
    if communities:
        found.append(Listing(communities[-1], "relocation_site", dt.date(2018, 6, 30), None, BASIS))
    return found
