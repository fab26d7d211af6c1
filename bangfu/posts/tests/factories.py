"""Posts, holders and duty for the posts tests, made through the app's own actions (so every holder has
the employment record of channel 公益性岗位 that goes with the spell)."""

import datetime as dt
import itertools
from decimal import Decimal

from bangfu.conftest import area
from bangfu.posts import actions
from bangfu.posts.models import Post, QuotaRule, SubsidyRule

_numbers = itertools.count(1)


def post(village: str, *, number="", opened=dt.date(2024, 1, 1), kind="乡村公益性岗位", title="保洁员"):
    return actions.create_post(
        None, area=area(village), number=number or f"GY{next(_numbers):04d}", kind=kind, title=title,
        opened_on=opened, host_unit="村委会",
    )  # fmt: skip


def hold(person, on: Post, started=dt.date(2024, 3, 1), ended=None):
    return actions.start_spell(None, on, person, started, ended, check_scope=False)


def duty(person, month: str, days: int, due: int = 22, within: str = "433124"):
    return actions.save_duty(None, person, month, days, due, within=area(within), check_scope=False)[0]


def subsidy(region="433124", amount="600", min_days=20, since=dt.date(2020, 1, 1)) -> SubsidyRule:
    return SubsidyRule.objects.create(
        region_prefix=region, effective_from=since, monthly_amount=Decimal(amount), min_days=min_days
    )


def quota(region="433124", low=2, high=3, since=dt.date(2020, 1, 1)) -> QuotaRule:
    return QuotaRule.objects.create(region_prefix=region, effective_from=since, min_posts=low, max_posts=high)
