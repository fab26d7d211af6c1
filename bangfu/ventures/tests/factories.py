"""Ventures, loans and rules for the ventures tests, made through the app's own actions."""

import datetime as dt
import itertools
from decimal import Decimal

from bangfu.ventures import actions
from bangfu.ventures.models import InterestRule, JobsRule, StartupRule

_numbers = itertools.count(1)


def venture(person, *, started=dt.date(2026, 2, 1), jobs=0, name="", kind="个体工商户"):
    return actions.register_venture(
        None,
        person,
        name=name or f"{person.name}的小店",
        kind=kind,
        started_on=started,
        jobs=jobs,
        check_scope=False,
    )


def loan(v, *, amount="100000", rate="4.35", months=24, granted=dt.date(2026, 1, 15), bank="农商银行"):
    return actions.grant_loan(
        None,
        v,
        bank=bank,
        contract=f"DB{next(_numbers):05d}",
        amount=Decimal(amount),
        rate=Decimal(rate),
        term_months=months,
        granted_on=granted,
        check_scope=False,
    )


def interest_rule(share=100, max_amount="200000", max_months=24, region="433124", since=dt.date(2020, 1, 1)):
    return InterestRule.objects.create(
        region_prefix=region,
        effective_from=since,
        share=share,
        max_amount=Decimal(max_amount),
        max_months=max_months,
    )


def startup_rule(amount="5000", min_months=6, region="433124", since=dt.date(2020, 1, 1)):
    return StartupRule.objects.create(
        region_prefix=region, effective_from=since, amount=Decimal(amount), min_months=min_months
    )


def jobs_rule(amount="1000", min_jobs=1, region="433124", since=dt.date(2020, 1, 1)):
    return JobsRule.objects.create(
        region_prefix=region, effective_from=since, amount=Decimal(amount), min_jobs=min_jobs
    )
