"""Registry status and records never disagree after any import, hire, visit or comparison (issue 16):
after each path that changes records, every person's stored 务工状态 and 务工时间(月) are exactly what
the records give as of today, by the plain-Python rule and by the set-based SQL alike."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from bangfu.compare.models import ChangeKind, Finding
from bangfu.compare.tests.conftest import compare, write_source
from bangfu.employment.actions import end_record, refresh_status
from bangfu.employment.models import EmploymentRecord, Mismatch
from bangfu.employment.status import Spell, derive, derived_rows
from bangfu.referrals.actions import advance, create_referral
from bangfu.referrals.tests.factories import make_employer, make_job
from bangfu.registry.actions import create_import_batch, run_registry_import
from bangfu.registry.models import Person
from bangfu.registry.tests.conftest import person, pid, write_csv
from bangfu.tracking.actions import record_visit

A, B, C, D = pid("1975-03-04", 11), pid("1977-08-09", 22), pid("1990-01-02", 41), pid("1962-05-06", 31)


def assert_agree(step: str) -> None:
    today = timezone.localdate()
    stored = {p: (s, m) for p, s, m in Person.objects.values_list("id", "employment_status", "work_months")}
    spells: dict[int, list] = {pk: [] for pk in stored}
    for record in EmploymentRecord.objects.all():
        spells[record.person_id].append(Spell.of(record))
    by_python = {pk: derive(records, today) for pk, records in spells.items()}
    by_sql = {pk: (s, m) for pk, s, m in derived_rows(today, person_ids=list(stored))}
    assert by_python == by_sql, step
    wrong = {pk: (stored[pk], by_python[pk]) for pk in stored if stored[pk] != by_python[pk]}
    assert not wrong, f"{step}: stored ≠ derived {wrong}"


def import_rows(tmp_path, name, rows, user):
    return run_registry_import(
        create_import_batch(area=user.area, user=user, path=write_csv(tmp_path / name, rows))
    )


def test_every_path_leaves_status_and_records_agreeing(users, client_for, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    county = users["county_a"]
    today = timezone.localdate()
    rows = [
        person("H1", "龙春生", A, 务工状态="省外务工", **{"务工时间\n(月)": "3"}),
        person("H1", "石秀英", B, "配偶", "女", 务工状态="未务工", **{"务工时间\n(月)": "2"}),
        person("H2", "吴建国", C, 务工状态="县内务工", **{"务工时间\n(月)": ""}),
        person("H3", "麻老三", D, 务工状态="", **{"务工时间\n(月)": ""}),
    ]
    import_rows(tmp_path, "a.csv", rows, county)
    assert_agree("registry import")
    people = {p.name: p for p in Person.objects.all()}

    # The same file again, then one that disagrees with the records.
    import_rows(tmp_path, "a2.csv", rows, county)
    assert_agree("registry import again")
    rows[0]["务工状态"], rows[2]["务工状态"], rows[3]["务工状态"] = "县内务工", "未务工", "省内县外务工"
    import_rows(tmp_path, "b.csv", rows, county)
    assert_agree("registry import with other statuses")
    assert Mismatch.objects.filter(person=people["吴建国"]).exists()

    # The hand form: record a spell of work, then end it.
    client = client_for(county)
    started = (today - dt.timedelta(days=40)).isoformat()
    client.post(
        reverse("employment:create", args=[people["石秀英"].pk]),
        {
            "employer_name": "县城超市",
            "work_area_code": "433124",
            "channel": "灵活就业",
            "started_on": started,
        },
    )
    assert_agree("hand form")
    record = EmploymentRecord.objects.get(person=people["石秀英"], employer_name="县城超市")
    client.post(
        reverse("employment:end", args=[record.pk]), {"ended_on": today.isoformat(), "reason": "合同到期"}
    )
    assert_agree("hand form, ended today (still in force today)")
    end = today - dt.timedelta(days=1)
    EmploymentRecord.objects.filter(pk=record.pk).update(ended_on=None)
    end_record(county, record, end, reason="解除劳动关系")
    assert_agree("ended yesterday")

    # A referral hire.
    factory = make_employer("广州海珠电子厂", "440105", 301)
    job = make_job(factory, "GZ-001", "电子装配工", "440105", openings=2)
    referral = create_referral(county, people["石秀英"], job)
    advance(county, referral, "有意向")
    advance(county, referral, "录用", started_on=today)
    assert_agree("referral hire")

    # A follow-up visit finding the person back home ends the record in force (§6).
    record_visit(county, people["石秀英"], visited_on=today, method="电话", result="返乡")
    assert EmploymentRecord.objects.get(person=people["石秀英"], job=job).end_reason == "返乡"
    assert_agree("visit: 返乡")

    # A comparison accepted: a department's employment row.
    source = write_source(
        tmp_path / "用工.xlsx",
        [{"姓名": "麻老三", "证件号码": D, "单位名称": "长沙机械厂", "统一社会信用代码": "",
          "工作地区划代码": "433123", "入职日期": (today - dt.timedelta(days=400)).isoformat()}],
    )  # fmt: skip
    run = compare(county, "employment", source, today=today)
    for finding in Finding.objects.filter(run=run, change=ChangeKind.EMPLOYMENT):
        from bangfu.compare.actions import accept

        accept(county, finding)
    assert EmploymentRecord.objects.get(person=people["麻老三"], source="compare").place == "省内县外"
    assert_agree("comparison accepted")

    # An employment records file (§5): a new spell, the referral's spell given a 离职日期 (matched by its key:
    # the employer's credit code), and the same file again.
    from bangfu.employment.importer import create_employment_import, run_employment_import
    from bangfu.exchange.report import write_table

    header = ["证件号码", "姓名", "单位名称", "统一社会信用代码", "工作地区划代码", "入职日期", "离职日期"]
    lines = [
        [C, "吴建国", "县城工地", "", "433124", (today - dt.timedelta(days=20)).isoformat(), ""],
        [B, "石秀英", "广州海珠电子厂", factory.credit_code, "440105", today.isoformat(), today.isoformat()],
        [A, "龙春生", "广州某厂", "", "440105", (today - dt.timedelta(days=90)).isoformat(),
         (today - dt.timedelta(days=5)).isoformat()],
    ]  # fmt: skip
    for name in ("e.csv", "e-again.csv"):
        write_table(tmp_path / name, header, lines)
        batch = run_employment_import(
            create_employment_import(area=county.area, user=county, path=tmp_path / name)
        )
        assert batch.error_rows == 0, batch.errors
        assert_agree(f"employment import {name}")
    assert (batch.created, batch.updated) == (0, 0)

    # A disagreement settled by ending the record.
    entry = Mismatch.objects.get(person=people["吴建国"])
    client.post(
        reverse("employment:mismatch_settle", args=[entry.pk]),
        {"decision": "end", "ended_on": (today - dt.timedelta(days=2)).isoformat(), "reason": "返乡"},
    )
    assert_agree("disagreement settled")

    # Time passes: the nightly refresh of the area keeps the months and ended spells in step.
    later = today + dt.timedelta(days=45)
    refresh_status(None, None, source="每日更新", on=later, within=county.area)
    for pk, status, months in derived_rows(later, within=county.area):
        assert Person.objects.values_list("employment_status", "work_months").get(pk=pk) == (status, months)
