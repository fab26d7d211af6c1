"""The interest-subsidy schedule (ventures/interest.py): interest on the principal outstanding, the subsidy
capped by 贴息本金上限 and 贴息期限, stopped after a loan falls 逾期, and month ends at short months."""

import datetime as dt
from decimal import Decimal

from bangfu.ventures.interest import Subsidy, Terms, add_months, due_in, schedule


def test_month_ends_keep_to_the_shorter_months():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 1, 31), 13) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)


def test_interest_and_subsidy_follow_the_principal_outstanding():
    terms = Terms(Decimal("120000"), Decimal("6"), dt.date(2026, 1, 10), 12)
    months = schedule(terms, Subsidy(50, Decimal("100000"), 6), [(dt.date(2026, 3, 1), Decimal("60000"))])
    assert [m.interest for m in months[:3]] == [Decimal("600.00"), Decimal("600.00"), Decimal("300.00")]
    # 50% of the interest on at most 100,000: 250 while 120,000 is owed, 150 on 60,000.
    assert [m.subsidy for m in months[:3]] == [Decimal("250.00"), Decimal("250.00"), Decimal("150.00")]
    assert all(m.subsidy == 0 for m in months[6:])  # 贴息期限 6 months
    assert len(due_in(months, dt.date(2026, 1, 1), dt.date(2026, 12, 31))) == 11  # the 12th ends in 2027


def test_no_subsidy_after_a_loan_falls_overdue_and_none_without_a_rule():
    terms = Terms(Decimal("12000"), Decimal("12"), dt.date(2026, 1, 1), 6, "逾期", dt.date(2026, 3, 15))
    months = schedule(terms, Subsidy(100, Decimal("50000"), 24), [])
    assert [m.subsidy for m in months] == [Decimal("120.00")] * 2 + [Decimal("0")] * 4
    assert all(m.subsidy == 0 for m in schedule(terms, None, []))
