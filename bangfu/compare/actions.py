"""Writes of data comparison: create and run a comparison, accept or reject its findings (through the
registry's own write functions, so history and audit are those of a manual edit), flag laborers who
cannot be reached."""

from __future__ import annotations

import csv
import datetime as dt
import gc
import heapq
import json
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from bangfu.audit.log import record as audit
from bangfu.audit.models import Action
from bangfu.compare import sources
from bangfu.compare.models import ChangeKind, ComparisonRun, Finding, Kind, RunStatus, Status, Unreachable
from bangfu.compare.reader import SourceFile, read_source
from bangfu.compare.rules import UNINSURED, Draft, Linked, Rules, employment_key
from bangfu.core.bulk import insert_rows
from bangfu.exchange.report import write_error_report
from bangfu.exchange.spreadsheet import SpreadsheetError
from bangfu.registry.actions import SOURCE_COMPARE, update_household_fields, update_person_fields
from bangfu.registry.models import Person

logger = logging.getLogger(__name__)

RESULT_COLUMNS = ("源行号", "源姓名", "源证件号码", "匹配结果", "匹配证件号码", "匹配概率", "差异")
METHOD_NAMES = {"exact": "精确匹配", "fuzzy": "模糊匹配", "none": "未匹配"}
# What the rules read about a registry person (and their household).
PERSON_VALUES = (
    "id", "name", "id_number", "sex", "birth_date", "phone", "area_id", "household_id", "student_status",
    "employment_status", "is_deceased", "died_on", "health", "disability_category", "disability_grade",
    "pension_insurance", "pension_status", "medical_insured_year", "medical_status",
    "household__is_dibao", "household__is_tekun",
)  # fmt: skip
RULE_CHUNK = 20_000  # linked rows judged at once
FINDING_FIELDS = (
    "run", "kind", "change", "status", "area", "person", "row_no", "name", "method", "probability",
    "source", "registry", "proposal", "summary", "automatic", "outcome",
)  # fmt: skip
DATE_FIELDS = {"died_on"}


# --------------------------------------------------------------------------------------------------
# Runs


@transaction.atomic
def create_run(
    *,
    area,
    user,
    source_type: str,
    path: Path | None = None,
    upload=None,
    name: str = "",
    threshold: float = 0.9,
    auto_apply: Iterable[str] = (),
) -> ComparisonRun:
    """Keep the file with the run and its settings, so what was compared can be looked at again."""
    if source_type not in sources.TYPES:
        raise ValidationError(f"未知的比对数据类型：{source_type}")
    if not 0.5 <= threshold < 1:
        raise ValidationError("模糊匹配阈值应在 0.5 与 1 之间。")
    kinds = [k for k in auto_apply if k]
    unknown = [k for k in kinds if k not in ChangeKind.values or k == ChangeKind.CONTRADICTION]
    if unknown:
        raise ValidationError(f"不能自动应用的变更类型：{'、'.join(unknown)}")
    run = ComparisonRun(
        source_type=source_type,
        area=area,
        user=user if getattr(user, "pk", None) else None,
        threshold=threshold,
        auto_apply=kinds,
    )
    if upload is not None:
        run.original_name = name or upload.name
        run.file.save(Path(run.original_name).name, upload, save=False)
    else:
        run.original_name = name or path.name
        with open(path, "rb") as fh:
            run.file.save(path.name, ContentFile(fh.read()), save=False)
    run.save()
    settings_text = f"阈值 {threshold}" + (
        f"，自动应用：{'、'.join(run.auto_apply_labels)}" if kinds else "，不自动应用任何变更"
    )
    audit(
        Action.IMPORT,
        actor=user,
        obj=run,
        message=f"提交数据比对（{sources.TYPE_NAMES[source_type]}）：{run.original_name}；{settings_text}",
    )
    return run


def _progress(run: ComparisonRun, phase: str, percent: int) -> None:
    run.phase, run.percent = phase[:60], max(0, min(100, percent))
    ComparisonRun.objects.filter(pk=run.pk).update(phase=run.phase, percent=run.percent)


def run_comparison(run: ComparisonRun, *, today: dt.date | None = None) -> ComparisonRun:
    """Read, link, judge and record one run. A file that cannot be used as a whole fails the run and
    changes nothing; otherwise rejected rows are reported and the others compared."""
    enabled = gc.isenabled()
    gc.disable()  # millions of small acyclic objects: the cyclic collector only costs time here
    try:
        return _run(run, today or timezone.localdate())
    except Exception as exc:
        _finish(run, RunStatus.FAILED, f"比对出错：{exc}")
        raise
    finally:
        if enabled:
            gc.enable()


def _run(run: ComparisonRun, today: dt.date) -> ComparisonRun:
    source_type = sources.TYPES[run.source_type]
    run.status, run.started_at = RunStatus.RUNNING, timezone.now()
    ComparisonRun.objects.filter(pk=run.pk).update(status=run.status, started_at=run.started_at)
    _progress(run, "读取文件", 2)
    try:
        data = read_source(
            run.file.path,
            source_type,
            today=today,
            progress=lambda n: _progress(run, f"读取文件（已读 {n} 行）", 5),
        )
    except SpreadsheetError as exc:
        return _finish(run, RunStatus.FAILED, exc.message + "（未比对，名册未作任何修改）")
    run.total_rows, run.error_rows = data.total_rows, len(data.problems)
    ComparisonRun.objects.filter(pk=run.pk).update(total_rows=run.total_rows, error_rows=run.error_rows)
    if data.problems:
        _write_report(run, data)
    if not data.valid_rows:
        return _finish(
            run, RunStatus.FAILED, "文件中所有数据行都有错误，未比对，名册未作任何修改。请下载错误报告。"
        )

    con = duckdb.connect()
    try:
        _progress(run, "读取名册", 10)
        _load(con, run, data)
        del data
        from bangfu.compare.linkage import link  # the engine; imported late, it loads Splink

        def linking(phase: str, fraction: float) -> None:
            _progress(run, f"比对：{phase}", 20 + int(50 * fraction))

        link(con, registry="registry", source="source", threshold=run.threshold, progress=linking)
        _progress(run, "生成比对结果", 72)
        diffs = _record_findings(con, run, source_type, today)
        _progress(run, "写出结果文件", 90)
        _write_results(con, run, diffs)
    finally:
        con.close()
    if run.auto_apply:
        _progress(run, "自动应用变更", 95)
        _auto_apply(run)
    return _finish(run, RunStatus.DONE, "")


def _load(con, run: ComparisonRun, data: SourceFile) -> None:
    """The registry of the run's area and the checked source rows, as DuckDB tables."""
    con.register("registry_batches", _registry_table(run.area))
    con.execute("CREATE TABLE registry AS SELECT * FROM registry_batches")
    con.unregister("registry_batches")
    table = data.table()
    data.batches.clear()
    con.register("source_arrow", table)
    con.execute(
        "CREATE TABLE source AS "
        "SELECT row_no, id_number, name, sex, birth_date, phone, area_code FROM source_arrow"
    )
    con.execute("CREATE TABLE source_extra AS SELECT row_no, extra, cells FROM source_arrow")
    con.unregister("source_arrow")


REGISTRY_SCHEMA = pa.schema(
    [
        ("person_id", pa.int64()),
        ("id_number", pa.string()),
        ("name", pa.string()),
        ("sex", pa.string()),
        ("birth_date", pa.date32()),
        ("phone", pa.string()),
        ("area_code", pa.string()),
    ]
)


def _registry_table(area) -> pa.Table:
    """The people of the area's subtree, read in chunks straight into Arrow columns (no model objects)."""
    fields = ("id", "id_number", "name", "sex", "birth_date", "phone", "area_id")
    rows = Person.objects.for_area(area).order_by().values_list(*fields).iterator(chunk_size=50_000)
    batches, chunk = [], []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= 200_000:
            batches.append(_registry_batch(chunk))
            chunk = []
    if chunk or not batches:
        batches.append(_registry_batch(chunk))
    return pa.Table.from_batches(batches, schema=REGISTRY_SCHEMA)


def _registry_batch(rows: list[tuple]) -> pa.RecordBatch:
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in REGISTRY_SCHEMA]
    arrays = [pa.array(list(values), type=f.type) for values, f in zip(columns, REGISTRY_SCHEMA, strict=True)]
    return pa.RecordBatch.from_arrays(arrays, schema=REGISTRY_SCHEMA)


def _linked_rows(con) -> Iterator[Linked]:
    """Linked rows ordered by person, so that each person's rows are judged together."""
    cursor = con.execute(
        """
        SELECT l.row_no, s.name, l.person_id, l.method, l.probability, l.id_problem, e.extra, e.cells
        FROM links l JOIN source s USING (row_no) JOIN source_extra e USING (row_no)
        ORDER BY l.person_id NULLS LAST, l.row_no
        """
    )
    while batch := cursor.fetchmany(10_000):
        for row_no, name, person_id, method, probability, problem, extra, cells in batch:
            yield Linked(
                row_no, name, person_id, method, probability, json.loads(extra), json.loads(cells), problem
            )


def _person_values(ids: Iterable[int]) -> dict[int, dict]:
    people = {}
    ids = list(ids)
    for start in range(0, len(ids), 5000):
        for values in Person.objects.filter(pk__in=ids[start : start + 5000]).values(*PERSON_VALUES):
            values["is_dibao"] = values.pop("household__is_dibao")
            values["is_tekun"] = values.pop("household__is_tekun")
            people[values["id"]] = values
    return people


def _employment_keys(ids: Iterable[int]) -> dict[int, set]:
    from bangfu.employment.models import EmploymentRecord

    keys: dict[int, set] = {}
    ids = list(ids)
    for start in range(0, len(ids), 5000):
        records = EmploymentRecord.objects.filter(person_id__in=ids[start : start + 5000]).values_list(
            "person_id", "employer_name", "credit_code", "started_on"
        )
        for person_id, name, code, started in records:
            keys.setdefault(person_id, set()).add(employment_key(name, code, started.isoformat()))
    return keys


def _chunks_by_person(rows: Iterator[Linked], size: int) -> Iterator[list[Linked]]:
    chunk: list[Linked] = []
    for row in rows:
        if len(chunk) >= size and (row.person_id is None or row.person_id != chunk[-1].person_id):
            yield chunk
            chunk = []
        chunk.append(row)
    if chunk:
        yield chunk


def _record_findings(con, run: ComparisonRun, source_type, today: dt.date) -> dict[int, str]:
    """Findings for every source row and conflict; returns the 差异 text per source row for results.csv."""
    diffs: dict[int, str] = {}
    rules = Rules(run.source_type, run.area_id, today, {}, {})
    total = con.execute("SELECT count(*) FROM links").fetchone()[0] or 1
    done = 0
    matched: set[int] = set()
    pension_rows = False
    for chunk in _chunks_by_person(_linked_rows(con), RULE_CHUNK):
        ids = {r.person_id for r in chunk if r.person_id is not None}
        rules.people = _person_values(ids)
        if run.source_type in (sources.EMPLOYMENT, sources.SOCIAL):
            rules.employments = _employment_keys(ids)
        drafts = [rules.match_finding(row) for row in chunk]
        conflicts = rules.conflicts(chunk)
        for draft in conflicts:
            rows = draft.source.get("rows") if isinstance(draft.source.get("rows"), list) else None
            for number in [r["源行号"] for r in rows] if rows else [draft.row_no]:
                diffs[number] = "；".join(filter(None, [diffs.get(number), draft.summary]))
        for draft in drafts:
            if draft.kind == Kind.UNMATCHED:
                diffs.setdefault(draft.row_no, draft.summary)
            elif draft.kind == Kind.FUZZY and draft.row_no not in diffs:
                diffs[draft.row_no] = draft.summary
        _insert(run, drafts + conflicts)
        matched |= {r.person_id for r in chunk if r.person_id in rules.people}
        if run.source_type == sources.SOCIAL:
            pension_rows = pension_rows or any(r.extra.get("险种") in sources.PENSION_KINDS for r in chunk)
        done += len(chunk)
        _progress(run, f"生成比对结果（{done}/{total}）", 72 + int(15 * done / total))
    medical_year = None
    if run.source_type == sources.MEDICAL:
        medical_year = con.execute(
            "SELECT max(CAST(json_extract(extra, '$.参保年度') AS INTEGER)) FROM source_extra"
        ).fetchone()[0]
    _record_missing(run, rules, matched, pension_rows, medical_year, today)
    return diffs


def _record_missing(run, rules: Rules, matched: set[int], pension_rows: bool, medical_year, today) -> None:
    """Registry people an insurance file should hold but lacks: 未参保."""
    people = Person.objects.for_area(run.area).filter(is_deceased=False)
    if run.source_type == sources.SOCIAL and pension_rows:
        # 城乡居民养老保险 is for residents aged 16 and over who are not at school.
        sixteen = today.replace(year=today.year - 16, day=min(today.day, 28))
        people = people.filter(birth_date__lte=sixteen).exclude(
            student_status__in=[
                s
                for s in ("小学", "七年级", "八年级", "九年级", "高中", "中职", "高职", "大专", "本科及以上")
            ]
        )
        change, proposal, what = (
            ChangeKind.PENSION,
            {"pension_status": UNINSURED, "pension_insurance": ""},
            "养老保险",
        )
    elif run.source_type == sources.MEDICAL and medical_year:
        change, what = ChangeKind.MEDICAL, "医保"
        proposal = {"medical_status": UNINSURED, "medical_insured_year": medical_year}
    else:
        return
    batch: list[int] = []
    for person_id in people.order_by().values_list("id", flat=True).iterator(chunk_size=50_000):
        if person_id in matched:
            continue
        batch.append(person_id)
        if len(batch) >= 5000:
            _insert(run, rules.missing(_person_values(batch).values(), matched, change, proposal, what))
            batch = []
    if batch:
        _insert(run, rules.missing(_person_values(batch).values(), matched, change, proposal, what))


def _insert(run: ComparisonRun, drafts: list[Draft]) -> None:
    dumps = json.dumps
    rows = (
        (
            run.pk, d.kind, d.change, d.status, d.area_id, d.person_id, d.row_no, d.name[:50], d.method,
            d.probability, dumps(d.source, ensure_ascii=False), dumps(d.registry, ensure_ascii=False),
            dumps(d.proposal, ensure_ascii=False), d.summary[:500], False, "",
        )
        for d in drafts
    )  # fmt: skip
    with transaction.atomic():
        insert_rows(Finding, FINDING_FIELDS, rows)


def _write_results(con, run: ComparisonRun, diffs: dict[int, str]) -> None:
    """results.csv (EXCHANGE.md §4): one row per source row, rejected rows included as 未匹配."""
    target = Path(run.file.path).with_suffix(".results.csv")
    rejected = getattr(run, "_rejected", [])
    cursor = con.execute(
        """
        SELECT l.row_no, s.name, s.id_number, l.method, r.id_number, l.probability
        FROM links l JOIN source s USING (row_no) LEFT JOIN registry r ON r.person_id = l.person_id
        ORDER BY l.row_no
        """
    )

    def linked():
        while batch := cursor.fetchmany(10_000):
            for row_no, name, id_raw, method, matched_id, probability in batch:
                method = method if matched_id else "none"
                shown = "" if method == "none" or probability is None else f"{probability:.4f}"
                yield (
                    row_no,
                    name,
                    id_raw or "",
                    METHOD_NAMES[method],
                    matched_id or "",
                    shown,
                    diffs.get(row_no, ""),
                )

    with open(target, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(RESULT_COLUMNS)
        for row in heapq.merge(linked(), iter(rejected), key=lambda r: r[0]):
            writer.writerow(row)
    with open(target, "rb") as fh:
        run.results.save(f"{Path(run.original_name).stem}-results.csv", ContentFile(fh.read()), save=False)
    target.unlink()
    ComparisonRun.objects.filter(pk=run.pk).update(results=run.results.name)


def _write_report(run: ComparisonRun, data: SourceFile) -> None:
    target = Path(run.file.path).with_suffix(".errors.xlsx")
    write_error_report(target, data.header, data.problems)
    with open(target, "rb") as fh:
        run.report.save(f"{Path(run.original_name).stem}-错误报告.xlsx", ContentFile(fh.read()), save=False)
    target.unlink()
    ComparisonRun.objects.filter(pk=run.pk).update(report=run.report.name)
    # Rejected rows still get their line in results.csv.
    run._rejected = sorted(
        (
            p.row_number,
            _raw_cell(data, p, "姓名"),
            _raw_cell(data, p, "证件号码"),
            METHOD_NAMES["none"],
            "",
            "",
            "该行有错误，未比对：" + p.reasons(),
        )
        for p in data.problems
    )


def _raw_cell(data: SourceFile, problem, column: str) -> str:
    from bangfu.exchange.spreadsheet import as_text, fold

    for index, title in enumerate(data.header):
        if fold(title) == fold(column) and index < len(problem.raw_cells):
            return as_text(problem.raw_cells[index]).strip()
    return ""


def run_counts(run: ComparisonRun) -> dict:
    """Findings per kind, per change kind and per status."""
    counts: dict = {"kind": {}, "change": {}, "open": 0, "accepted": 0, "rejected": 0}
    rows = (
        Finding.objects.filter(run=run)
        .values_list("kind", "change", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for kind, change, status, n in rows:
        counts["kind"][kind] = counts["kind"].get(kind, 0) + n
        if change:
            counts["change"][change] = counts["change"].get(change, 0) + n
        if status in ("open", "accepted", "rejected"):
            counts[status] += n
    return counts


@transaction.atomic
def _finish(run: ComparisonRun, status: str, message: str) -> ComparisonRun:
    run.status, run.finished_at, run.phase = status, timezone.now(), ""
    if status == RunStatus.DONE:
        run.counts = run_counts(run)
        kinds = run.counts["kind"]
        summary = (
            f"共 {run.total_rows} 行，错误 {run.error_rows} 行；精确匹配 {kinds.get('exact', 0)}，"
            f"模糊匹配 {kinds.get('fuzzy', 0)}，未匹配 {kinds.get('unmatched', 0)}，"
            f"来源缺少 {kinds.get('missing', 0)}，冲突 {kinds.get('conflict', 0)}；"
            f"待处理 {run.counts['open']}，已自动应用 {run.counts['accepted']}"
        )
        message = "；".join(filter(None, [summary, message]))
        run.percent = 100
    run.message = message
    run.save()
    audit(
        Action.IMPORT,
        actor=run.user,
        obj=run,
        message=("数据比对完成：" if status == RunStatus.DONE else "数据比对失败：") + message,
    )
    return run


def _auto_apply(run: ComparisonRun) -> None:
    """Changes of the kinds the run's settings allow, accepted as the run's user, marked automatic. Rows
    linked only fuzzily always wait for a person."""
    findings = Finding.objects.filter(run=run, status=Status.OPEN, change__in=run.auto_apply).exclude(
        kind=Kind.FUZZY
    )
    for finding in findings.exclude(method="fuzzy").iterator():
        accept(run.user, finding, automatic=True)


# --------------------------------------------------------------------------------------------------
# Review


def _check_scope(actor, finding: Finding) -> None:
    if getattr(actor, "pk", None) and not actor.area.contains(finding.area_id):
        raise PermissionDenied("该比对结果不在您的管辖区域内。")


def _typed(values: dict) -> dict:
    return {k: (dt.date.fromisoformat(v) if k in DATE_FIELDS and v else v) for k, v in values.items()}


@transaction.atomic
def accept(actor, finding: Finding, *, automatic: bool = False) -> Finding:
    """Apply a finding's proposed change through the registry's write functions (history 比对, audit) and
    mark it accepted. A finding already decided changes nothing again."""
    finding = (
        Finding.objects.select_for_update(of=("self",)).select_related("person", "run").get(pk=finding.pk)
    )
    _check_scope(actor, finding)
    if finding.status != Status.OPEN:
        return finding
    proposal, person = finding.proposal, finding.person
    label = f"数据比对（{finding.run.get_source_type_display()}，批次 {finding.run_id}）" + (
        "自动应用" if automatic else ""
    )
    parts = []
    if values := proposal.get("person"):
        diff = update_person_fields(actor, person, _typed(values), source=SOURCE_COMPARE, message=label)
        parts += [f"{k}" for k in diff]
    if values := proposal.get("household"):
        diff = update_household_fields(actor, person.household, values, source=SOURCE_COMPARE, message=label)
        parts += [f"{k}" for k in diff]
    if (job := proposal.get("employment")) and _create_employment(actor, person, job, finding):
        parts.append("就业记录")
    finding.status = Status.ACCEPTED
    finding.automatic = automatic
    finding.decided_by = actor if getattr(actor, "pk", None) else None
    finding.decided_at = timezone.now()
    finding.outcome = (
        ("已修改：" + "、".join(_field_label(p) for p in parts)) if parts else "名册已是建议的值，未修改"
    )
    finding.save(update_fields=["status", "automatic", "decided_by", "decided_at", "outcome"])
    audit(
        Action.UPDATE,
        actor=actor,
        obj=finding,
        message=("自动应用" if automatic else "接受")
        + f"比对结果：{finding.summary}；{finding.outcome}"[:1000],
    )
    return finding


def _field_label(name: str) -> str:
    from bangfu.compare.rules import LABELS

    return LABELS.get(name, name)


def _create_employment(actor, person: Person, job: dict, finding: Finding) -> bool:
    from bangfu.areas.models import Area
    from bangfu.employment.models import EmploymentRecord, Source

    started = dt.date.fromisoformat(job["started_on"])
    existing = EmploymentRecord.objects.filter(person=person, started_on=started)
    existing = (
        existing.filter(credit_code=job["credit_code"])
        if job["credit_code"]
        else existing.filter(employer_name=job["employer_name"])
    )
    if existing.exists():
        return False
    work_area = (job.get("work_area") or "").ljust(12, "0") if job.get("work_area") else None
    if work_area and not Area.objects.filter(code=work_area).exists():
        work_area = None
    record = EmploymentRecord.objects.create(
        person=person,
        area_id=person.area_id,
        employer_name=job["employer_name"][:100],
        credit_code=job["credit_code"],
        work_area_id=work_area,
        place=job.get("place") or "",
        started_on=started,
        ended_on=dt.date.fromisoformat(job["ended_on"]) if job.get("ended_on") else None,
        monthly_wage=job.get("monthly_wage"),
        source=Source.COMPARE,
        source_ref=f"compare:{finding.pk}",
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit(
        Action.CREATE,
        actor=actor,
        obj=record,
        message=f"数据比对新增就业记录：{record.employer_name}，{started.isoformat()} 入职",
    )
    return True


@transaction.atomic
def reject(actor, finding: Finding, note: str = "") -> Finding:
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    _check_scope(actor, finding)
    if finding.status != Status.OPEN:
        return finding
    finding.status = Status.REJECTED
    finding.decided_by = actor if getattr(actor, "pk", None) else None
    finding.decided_at = timezone.now()
    finding.outcome = ("驳回：" + note.strip())[:500] if note.strip() else "驳回，名册未修改"
    finding.save(update_fields=["status", "decided_by", "decided_at", "outcome"])
    audit(Action.UPDATE, actor=actor, obj=finding, message=f"驳回比对结果：{finding.summary}"[:1000])
    return finding


def decide_many(actor, findings, *, accepting: bool, note: str = "") -> int:
    """Accept or reject every open finding of `findings` (already scoped to the actor), each in its own
    transaction: one failure does not undo the others. Returns how many were decided."""
    count = 0
    for finding in findings.filter(status=Status.OPEN).order_by("id").iterator():
        if accepting:
            accept(actor, finding)
        else:
            reject(actor, finding, note)
        count += 1
    return count


# --------------------------------------------------------------------------------------------------
# Unreachable laborers (联系不上)


@transaction.atomic
def flag_unreachable(actor, person: Person, note: str = "", on: dt.date | None = None) -> Unreachable:
    if not actor.area.contains(person.area_id):
        raise PermissionDenied("此人不在您的管辖区域内。")
    current = Unreachable.objects.filter(person=person, cleared_at__isnull=True).first()
    if current is not None:
        return current
    flag = Unreachable.objects.create(
        person=person,
        area_id=person.area_id,
        flagged_on=on or timezone.localdate(),
        flagged_by=actor,
        note=note[:200],
    )
    audit(
        Action.CREATE,
        actor=actor,
        obj=flag,
        message=f"标记联系不上：{person.name}" + (f"（{note}）" if note else ""),
    )
    return flag


@transaction.atomic
def clear_unreachable(actor, flag: Unreachable, note: str = "") -> Unreachable:
    flag = Unreachable.objects.select_for_update().select_related("person").get(pk=flag.pk)
    if not actor.area.contains(flag.area_id):
        raise PermissionDenied("此人不在您的管辖区域内。")
    if flag.cleared_at is not None:
        return flag
    flag.cleared_at, flag.cleared_by, flag.clear_note = timezone.now(), actor, note[:200]
    flag.save(update_fields=["cleared_at", "cleared_by", "clear_note"])
    audit(Action.UPDATE, actor=actor, obj=flag, message=f"取消联系不上标记：{flag.person.name}")
    return flag
