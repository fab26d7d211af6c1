"""The 政策规则 page: every kind of rule in force and scheduled for the user's area; user managers add new
versions for their own area or below (never for another county: 404), never change one in effect, and
each write is audited. A version added here changes what the platform does."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.audit.models import Action, AuditEvent
from bangfu.conftest import COUNTY_A, COUNTY_B, TOWNSHIP_A, VILLAGE_A
from bangfu.registry.models import LaborAgeRule
from bangfu.rules.kinds import BY_SLUG, KINDS

A, B, TOWNSHIP = COUNTY_A.ljust(12, "0"), COUNTY_B.ljust(12, "0"), TOWNSHIP_A.ljust(12, "0")


def new_url(code: str, kind: str = "labor-age") -> str:
    return reverse("rules:new", kwargs={"code": code, "kind": kind})


def band(day: dt.date, low: int = 16, high: int = 59, note: str = "") -> dict:
    return {"effective_from": day.isoformat(), "min_age": low, "max_age": high, "note": note}


def filled(form) -> dict:
    """What the browser would send back for the form as prefilled."""
    return {name: form[name].value() for name in form.fields if form[name].value() is not None}


def test_the_page_lists_every_kind_with_the_rule_in_force(users, client_for):
    response = client_for(users["county_a"]).get(reverse("rules:index"))
    assert response.status_code == 200
    sections = response.context["sections"]
    assert [s.kind.slug for s in sections] == [k.slug for k in KINDS]
    labor = sections[0]
    assert (labor.current.min_age, labor.current.max_age) == (16, 64) and labor.current.region_prefix == ""
    text = response.content.decode()
    for kind in KINDS:
        assert kind.label in text
    assert "最低年龄（周岁）：<strong>16</strong>" in text and "新增规则版本" in text


def test_the_trail_links_only_the_areas_the_user_may_open(users, client_for):
    client = client_for(users["county_a"])
    page = client.get(reverse("rules:area", args=[TOWNSHIP])).content.decode()
    trail = page[page.index('aria-label="区域层级"') :].split("</nav>")[0]
    assert "湖南省" in trail and "湘西土家族苗族自治州" in trail  # named, above the county: not linked
    linked = [href.split('"')[0] for href in trail.split('href="')[1:]]
    assert linked == [reverse("rules:area", args=[A])]
    assert all(client.get(href).status_code == 200 for href in linked)


def test_scheduled_and_inside_rules_are_shown_where_they_apply(users, client_for):
    today = timezone.localdate()
    LaborAgeRule.objects.create(region_prefix="43", effective_from=today + dt.timedelta(days=10), max_age=59)
    LaborAgeRule.objects.create(region_prefix=TOWNSHIP_A, effective_from=today, min_age=18, max_age=60)
    LaborAgeRule.objects.create(region_prefix=COUNTY_B, effective_from=today, min_age=17, max_age=61)
    labor = client_for(users["county_a"]).get(reverse("rules:index")).context["sections"][0]
    assert [r.region_prefix for r in labor.scheduled] == ["43"]
    assert [r.region_prefix for r in labor.inside] == [TOWNSHIP_A]  # not county B's
    township = client_for(users["county_a"]).get(reverse("rules:area", args=[TOWNSHIP]))
    section = township.context["sections"][0]
    assert section.current.max_age == 60
    assert section.scheduled[0].shadowed  # 龙潭镇 keeps its own band when the province's starts
    assert [r.region_prefix for r in section.history] == [""]


def test_a_county_admin_adds_a_version_for_the_county_and_it_is_audited(users, client_for):
    today = timezone.localdate()
    client = client_for(users["county_a"])
    assert client.get(new_url(A)).status_code == 200
    response = client.post(new_url(A), band(today, 18, 60, "县政府文件"))
    assert response.status_code == 302 and response.url == reverse("rules:area", args=[A])
    rule = LaborAgeRule.objects.get(region_prefix=COUNTY_A)
    assert (rule.min_age, rule.max_age, rule.effective_from, rule.created_by) == (
        18,
        60,
        today,
        users["county_a"],
    )
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="registry.laboragerule")
    assert event.area_code == A and event.actor == users["county_a"] and event.after["max_age"] == 60
    # and below: a township of the county
    assert client.post(new_url(TOWNSHIP), band(today, 16, 62)).status_code == 302
    assert LaborAgeRule.objects.filter(region_prefix=TOWNSHIP_A, max_age=62).exists()


def test_a_county_admin_gets_404_for_another_county(users, client_for):
    client = client_for(users["county_a"])
    events = AuditEvent.objects.count()
    assert client.get(new_url(B)).status_code == 404
    assert client.post(new_url(B), band(timezone.localdate())).status_code == 404
    assert client.get(reverse("rules:area", args=[B])).status_code == 404
    assert client.get(reverse("rules:index"), {"area": COUNTY_B}).status_code == 404
    assert client.post(new_url("430000000000"), band(timezone.localdate())).status_code == 404  # above
    assert not LaborAgeRule.objects.exclude(region_prefix="").exists()
    assert AuditEvent.objects.count() == events


def test_only_user_managers_may_add(users, client_for):
    village = client_for(users["village_a"])  # can_manage_users is off
    page = village.get(reverse("rules:index"))
    assert page.status_code == 200 and "新增规则版本" not in page.content.decode()
    code = users["village_a"].area_id
    assert village.post(new_url(code), band(timezone.localdate())).status_code == 403
    assert not LaborAgeRule.objects.exclude(region_prefix="").exists()


def test_a_version_cannot_start_in_the_past_or_twice_on_a_day(users, client_for):
    client = client_for(users["county_a"])
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(new_url(A), band(yesterday))
    assert response.status_code == 200 and "生效日期不能早于今天" in response.content.decode()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert client.post(new_url(A), band(tomorrow)).status_code == 302
    response = client.post(new_url(A), band(tomorrow, 16, 61))
    assert response.status_code == 200 and "请换一个生效日期" in response.content.decode()
    response = client.post(new_url(A), band(tomorrow + dt.timedelta(days=1), 60, 20))
    assert "最高年龄不能低于最低年龄" in response.content.decode()
    assert list(LaborAgeRule.objects.filter(region_prefix=COUNTY_A).values_list("max_age", flat=True)) == [59]


def test_a_province_band_added_on_the_page_changes_who_counts_as_laborer(users, client_for):
    from bangfu.registry.tests.test_labor_age import laborer_names, make_person

    make_person("湘六十二", 62)
    make_person("湘五十八", 58)
    assert laborer_names() == {"湘六十二", "湘五十八"}
    province = users["province"]
    response = client_for(province).post(new_url(province.area_id), band(timezone.localdate(), 16, 59))
    assert response.status_code == 302
    assert laborer_names() == {"湘五十八"}


def test_list_values_and_model_checks_of_other_kinds(users, client_for):
    from bangfu.jobs.models import SuitabilityRule
    from bangfu.matching.models import MatchingRule

    client = client_for(users["county_a"])
    today = timezone.localdate().isoformat()
    form = client.get(new_url(A, "suitability")).context["form"]
    values = filled(form)
    values.update(effective_from=today, occupation_groups="4-02、6", max_education="小学")
    assert client.post(new_url(A, "suitability"), values).status_code == 302
    rule = SuitabilityRule.objects.get(region_prefix=COUNTY_A)
    assert rule.occupation_groups == ["4-02", "6"] and rule.max_education == "小学"
    assert "证" in rule.demanding_words  # carried over from the rule in force
    values.update(
        effective_from=(timezone.localdate() + dt.timedelta(days=1)).isoformat(), occupation_groups="9-99"
    )
    assert "不是职业分类大典的代码" in client.post(new_url(A, "suitability"), values).content.decode()

    form = client.get(new_url(A, "matching")).context["form"]
    weights = filled(form) | {"effective_from": today}
    response = client.post(new_url(A, "matching"), weights | {"wage": "-5"})
    assert "各项权重不能为负数" in response.content.decode()
    assert client.post(new_url(A, "matching"), weights | {"wage": "30"}).status_code == 302
    assert MatchingRule.objects.in_force(users["village_a"].area_id).wage == 30


def test_withdrawing_a_scheduled_version_only(users, client_for):
    today = timezone.localdate()
    scheduled = LaborAgeRule.objects.create(
        region_prefix=COUNTY_A, effective_from=today + dt.timedelta(days=5)
    )
    in_effect = LaborAgeRule.objects.create(region_prefix=COUNTY_A, effective_from=today, max_age=60)
    client = client_for(users["county_a"])
    outsider = client_for(users["county_b"])
    url = reverse("rules:withdraw", kwargs={"kind": "labor-age", "pk": scheduled.pk})
    assert outsider.post(url).status_code == 404
    assert client.post(url).status_code == 302
    assert not LaborAgeRule.objects.filter(pk=scheduled.pk).exists()
    assert AuditEvent.objects.filter(action=Action.DELETE, area_code=A).count() == 1
    url = reverse("rules:withdraw", kwargs={"kind": "labor-age", "pk": in_effect.pk})
    client.post(url)
    assert LaborAgeRule.objects.filter(pk=in_effect.pk).exists()
    national = LaborAgeRule.objects.get(region_prefix="")
    url = reverse("rules:withdraw", kwargs={"kind": "labor-age", "pk": national.pk})
    assert client.post(url).status_code == 404  # above the county


@pytest.mark.parametrize("extra", [1, 12])
def test_the_page_costs_the_same_queries_with_more_rules(
    users, client_for, extra, django_assert_max_num_queries
):
    today = timezone.localdate()
    for i in range(extra):
        LaborAgeRule.objects.create(region_prefix=TOWNSHIP_A, effective_from=today + dt.timedelta(days=i))
    client = client_for(users["county_a"])
    client.get(reverse("rules:index"))
    with django_assert_max_num_queries(
        8 + len(KINDS)
    ):  # session, user, area, a query per kind, regions, trail, CSRF
        assert client.get(reverse("rules:index")).status_code == 200


@pytest.mark.parametrize("kind", [k.slug for k in KINDS])
def test_a_first_version_scheduled_below_a_county_shows_everywhere_and_can_be_withdrawn(
    kind, users, client_for
):
    # Nothing of this kind is in force anywhere (the national default some kinds ship with is gone):
    # 龙潭镇 schedules its first version. Its page, a village's below it and the county's show it.
    model = BY_SLUG[kind].model
    model.objects.all().delete()
    county = client_for(users["county_a"])
    form = filled(county.get(new_url(TOWNSHIP, kind)).context["form"])
    form["effective_from"] = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    form.setdefault("occupation_groups", "4-01")  # the values no kind has a default for
    form.setdefault("yearly_income_per_capita", "6000")
    for name, value in {"amount": "500", "min_months": "3", "min_hired": "5", "per_person": "1000"}.items():
        form.setdefault(name, value)
    form.setdefault("monthly_amount", "600")
    form.setdefault("min_days", "20")
    form.setdefault("min_posts", "2")
    form.setdefault("max_posts", "3")
    for name, value in {"months": "6", "min_attendance": "80", "min_age": "15", "max_age": "22"}.items():
        form.setdefault(name, value)  # training's rules
    for name, value in {"share": "100", "max_amount": "200000", "max_months": "24"}.items():
        form.setdefault(name, value)  # the guarantee loan's interest subsidy
    for name in ("pension_rate", "medical_rate", "payment_rate"):
        form.setdefault(name, "99")
    form.setdefault("yearly_personal", "5000")
    for name, value in {"province_pct": "80", "city_pct": "0", "county_pct": "20"}.items():
        form.setdefault(name, value)
    assert county.post(new_url(TOWNSHIP, kind), form).status_code == 302
    scheduled = model.objects.get()
    for code in (TOWNSHIP, VILLAGE_A, A):
        assert county.get(reverse("rules:area", args=[code])).status_code == 200, code
    sections = county.get(reverse("rules:area", args=[TOWNSHIP])).context["sections"]
    section = next(s for s in sections if s.kind.slug == kind)
    assert section.current is None and section.scheduled == [scheduled]
    shown = section.scheduled[0]
    assert shown.withdrawable and not shown.shadowed  # on its day it applies: nothing else does
    response = county.post(reverse("rules:withdraw", kwargs={"kind": kind, "pk": scheduled.pk}))
    assert response.status_code == 302 and not model.objects.exists()
    assert county.get(response.url).status_code == 200
    assert AuditEvent.objects.filter(action=Action.DELETE, object_id=str(scheduled.pk)).exists()
