"""Verdicts: what a linked source file means for the registry. Per person, the rows that link to them,
compared with what the registry holds, give conflicts with a proposed change; a person two rows contradict
about is a conflict of its own. Plain Python: rows and registry values in, finding drafts out. The kinds
of finding, their labels and advice live here too; judging.py runs these verdicts (most of them restated
as DuckDB SQL) over a whole run. Named apart from the policy rules (core/rules.py, the rules/ pages)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from bangfu.compare import sources
from bangfu.compare.sources import (
    ACTIVE_INSURANCE,
    PENSION_KINDS,
)

EXACT, FUZZY, UNMATCHED, MISSING, CONFLICT = "exact", "fuzzy", "unmatched", "missing", "conflict"
AMBIGUOUS = "ambiguous"  # a row that fits several registry people alike (linkage: method 'ambiguous')
IDENTITY = "identity"  # the change of a row linked by ID whose name, sex or birth date is another
# Who a person is, as a row linked by ID must agree with the registry: (attribute, label).
IDENTITY_FIELDS = (("name", "姓名"), ("sex", "性别"), ("birth_date", "出生日期"))
INFO, OPEN = "info", "open"
LABELS = {
    "is_deceased": "已故",
    "died_on": "死亡日期",
    "employment_status": "务工状态",
    "health": "健康状况",
    "disability_category": "残疾类别",
    "disability_grade": "残疾等级",
    "pension_insurance": "养老保险险种",
    "pension_status": "养老保险参保状态",
    "medical_insured_year": "医保参保年度",
    "medical_status": "医保参保状态",
    "is_dibao": "是否低保",
    "is_tekun": "是否特困",
}
# Registry values shown beside the source row, by finding's change kind.
SHOWN = {
    "employment": ("employment_status",),
    "death": ("is_deceased", "died_on"),
    "assistance": ("is_dibao", "is_tekun"),
    "disability": ("health", "disability_category", "disability_grade"),
    "pension": ("pension_insurance", "pension_status"),
    "medical": ("medical_insured_year", "medical_status"),
}
UNINSURED = "未参保"
# Insurance that only an employer pays: an active row is evidence of work, a terminated one of its end.
EMPLOYER_INSURANCE = ("企业职工养老保险", "失业保险", "工伤保险")
TERMINATED = "终止参保"
# Kinds of the employers ledger (employers.EmployerKind) whose hires are the channel 扶贫车间 (就业帮扶车间
# is the name such workshops have had since 2021).
WORKSHOP_KINDS = ("扶贫车间", "就业帮扶车间")
WORKSHOP_CHANNEL = "扶贫车间"
# The registry side of an ending finding: the record in force it proposes to end.
RECORD_LABEL = "在职记录"
ENDING = "ending"


def shown(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@dataclass
class Linked:
    """One source row after linkage."""

    row_no: int
    name: str
    person_id: int | None
    method: str  # exact, fuzzy, none
    probability: float | None
    extra: dict
    id_problem: str | None = None
    sex: str | None = None
    birth_date: dt.date | None = None
    # An ambiguous row's candidates, best first: (person id, their share of the probability, their area).
    candidates: list[tuple[int, float, str]] = field(default_factory=list)


@dataclass
class Draft:
    kind: str
    area_id: str
    person_id: int | None = None
    row_no: int | None = None
    name: str = ""
    method: str = ""
    probability: float | None = None
    change: str = ""
    # The source rows the finding covers, by number (their cells stay in the run's rows file).
    covers: list[int] = field(default_factory=list)
    registry: dict = field(default_factory=dict)
    proposal: dict = field(default_factory=dict)
    summary: str = ""
    status: str = INFO


# Between what the source said and the advice, in a change to the person's own values: the changes
# Verdicts._person_change makes, whose advice `advice` writes out.
ADVICE = "。建议："
# The change to the person's own values each source type makes (a 社保 file's 养老保险 part).
PERSON_CHANGE_OF = {
    sources.DEATH: "death",
    sources.DISABILITY: "disability",
    sources.SOCIAL: "pension",
    sources.MEDICAL: "medical",
}
PERSON_CHANGES = tuple(PERSON_CHANGE_OF.values())


def advice(change: str, registry: dict, values: dict) -> str:
    """The advice of a change to the person's own values (death, disability, pension, medical): per field
    changed, in the order SHOWN lists them, its registry value as the finding keeps it (`registry`, by
    label) and the value proposed. A finding stores only what the source said; its advice is derived from
    its registry and proposal again (Finding.difference)."""
    return "；".join(
        f"{LABELS[name]}：{registry.get(LABELS[name]) or '（空）'} → {shown(values[name])}"
        for name in SHOWN[change]
        if name in values
    )


def identity_differences(row: Linked, person: dict) -> dict:
    """{label: the registry's value} of who the person is (IDENTITY_FIELDS) where the row says otherwise;
    a value missing on either side is no difference."""
    differs = {}
    for attribute, label in IDENTITY_FIELDS:
        mine, theirs = getattr(row, attribute), person.get(attribute)
        if mine not in (None, "") and theirs not in (None, "") and mine != theirs:
            differs[label] = shown(theirs)
    return differs


def common_area(codes: list[str]) -> str:
    """The deepest area holding every code (village 12, township 9, county 6, city 4, province 2 digits),
    as a 12-digit code."""
    for size in (12, 9, 6, 4, 2):
        if len({code[:size] for code in codes}) == 1:
            return codes[0][:size].ljust(12, "0")
    return "0" * 12


def place_of_work(work_area: str | None, home_area: str) -> str | None:
    """县内/省内县外/省外务工 from the work place's code against the person's village."""
    if not work_area:
        return None
    if work_area[:6] == home_area[:6]:
        return "县内务工"
    if work_area[:2] == home_area[:2]:
        return "省内县外务工"
    return "省外务工"


def employment_key(employer_name: str, credit_code: str, started_on: str) -> tuple[str, str]:
    return (credit_code or employer_name, started_on)


@dataclass(frozen=True)
class Employer:
    """An employer of the ledger (employers.Employer), as the verdicts read it."""

    code: str
    name: str
    area: str  # where it is (12 digits)
    kind: str


class Ledger:
    """The employers ledger's employers that a file names: found by 统一社会信用代码 when the row gives
    one, else by name when exactly one employer of the ledger has that name."""

    def __init__(self, rows: Iterable[tuple[str, str, str, str]] = ()):
        self.by_code: dict[str, Employer] = {}
        named: dict[str, list[Employer]] = defaultdict(list)
        for code, name, area, kind in rows:
            if code in self.by_code:
                continue
            employer = self.by_code[code] = Employer(code, name, area, kind)
            named[name].append(employer)
        self.by_name = {name: found[0] for name, found in named.items() if len(found) == 1}

    def find(self, name: str, code: str) -> Employer | None:
        if code:
            return self.by_code.get(code)
        return self.by_name.get(name or "")


@dataclass(frozen=True)
class InForce:
    """An employment record in force (no 离职日期) of a registry person, as the verdicts read it."""

    id: int
    employer_name: str
    credit_code: str
    started_on: str  # ISO

    @property
    def shown(self) -> str:
        employer = self.employer_name or "单位不详"
        return f"{employer}，{self.started_on} 入职"


@dataclass
class Ended:
    """A source row saying a job ended: where (name, and the credit code the row or the ledger gives),
    on what day, and how the summary says it."""

    row: Linked
    name: str
    code: str
    ended_on: str  # ISO
    said: str


def ended_record_matches(ended: Ended, record: InForce, only: bool, current: bool) -> bool:
    """Whether a row saying a job ended speaks of a record in force: the same employer (by credit code,
    else by name) and the record started on or before the end. A person's only record in force whose
    employer is unknown (名册导入, or typed without it) is taken to be that job when the file shows them in
    no current job; a record of another named employer never is (leaving one employer says nothing of
    another)."""
    if ended.ended_on < record.started_on:
        return False
    if ended.code and record.credit_code == ended.code:
        return True
    if ended.name and record.employer_name == ended.name:
        return True
    return only and not current and not record.employer_name and not record.credit_code


class Verdicts:
    """The per-person verdicts of one run: draft findings. `people` maps person id to the registry values
    the verdicts read (see judging.PERSON_VALUES); `employments` is {person id: {employment_key, …}} of
    existing records."""

    def __init__(
        self,
        source_type: str,
        area_id: str,
        today: dt.date,
        people: dict,
        employments: dict,
        in_force: dict | None = None,
        ledger: Ledger | None = None,
    ):
        self.source_type = source_type
        self.area_id = area_id
        self.today = today
        self.people = people
        self.employments = employments
        # {person id: [InForce, …]}: the records in force of the people judged.
        self.in_force = in_force or {}
        self.ledger = ledger or Ledger()
        self.households_done: set[tuple] = set()  # (household, field) already judged, across chunks

    # -- public ------------------------------------------------------------------------------------
    def match_finding(self, row: Linked) -> Draft:
        if row.method == AMBIGUOUS:
            return self.ambiguous_finding(row)
        person = self.people.get(row.person_id) if row.person_id else None
        if person is None:
            summary = "名册中未找到此人" + (f"；证件号码：{row.id_problem}" if row.id_problem else "")
            return Draft(
                UNMATCHED, self.area_id, row_no=row.row_no, name=row.name, method="none",
                covers=[row.row_no], summary=summary,
            )  # fmt: skip
        kind = EXACT if row.method == "exact" else FUZZY
        registry = self.registry_values(person, ())
        if kind == FUZZY:  # what tells the row and the person apart, as the registry holds it
            registry.update(identity_differences(row, person))
        summary = (
            ""
            if kind == EXACT
            else f"证件号码不一致或缺失，按姓名、出生日期等模糊匹配（概率 {row.probability:.3f}）"
        )
        if kind == FUZZY and row.id_problem:
            summary += f"；证件号码：{row.id_problem}"
        return Draft(
            kind, person["area_id"], person_id=row.person_id, row_no=row.row_no, name=row.name,
            method=row.method, probability=row.probability, covers=[row.row_no],
            registry=registry, summary=summary,
        )  # fmt: skip

    def ambiguous_finding(self, row: Linked) -> Draft:
        """A row that fits several registry people alike (or a person another row fits as well): linked to
        nobody, for a person to decide, the candidates side by side. In the candidates' common area (the
        village when they share one), so whoever holds them all sees it."""
        n = len(row.candidates)
        who = f"名册中 {n} 人" if n > 1 else "名册中此人，但另有来源行与其同样相符"
        summary = (
            f"姓名、性别、出生日期等同样相符于{who}，无法确定是哪一位（最高概率 {row.probability:.3f}），"
            "请核实"
        ) + (f"；证件号码：{row.id_problem}" if row.id_problem else "")
        return Draft(
            AMBIGUOUS, common_area([c[2] for c in row.candidates]), row_no=row.row_no, name=row.name,
            method=AMBIGUOUS, probability=row.probability, covers=[row.row_no],
            registry={"candidates": [{"person": c[0], "probability": c[1]} for c in row.candidates]},
            summary=summary, status=OPEN,
        )  # fmt: skip

    def identity(self, row: Linked) -> Draft | None:
        """A row linked by its ID number whose name, sex or birth date is not the registry's: a finding to
        check (a typo on either side, or someone else's number), never changed automatically."""
        person = self.people.get(row.person_id) if row.person_id else None
        if person is None or row.method != EXACT:
            return None
        differs = identity_differences(row, person)
        if not differs:
            return None
        said = "；".join(
            f"{label}：来源「{shown(getattr(row, attribute))}」，名册「{differs[label]}」"
            for attribute, label in IDENTITY_FIELDS
            if label in differs
        )
        return Draft(
            CONFLICT, person["area_id"], person_id=row.person_id, row_no=row.row_no, name=person["name"],
            method=row.method, probability=row.probability, change=IDENTITY, covers=[row.row_no],
            registry=differs, summary=f"证件号码相同，{said}；请核实"[:500], status=OPEN,
        )  # fmt: skip

    def conflicts(self, rows: Iterable[Linked]) -> list[Draft]:
        """Conflicts for the linked rows (any order); rows linked to nobody are ignored."""
        by_person: dict[int, list[Linked]] = defaultdict(list)
        for row in rows:
            if row.person_id in self.people:
                by_person[row.person_id].append(row)
        drafts: list[Draft] = []
        handler = getattr(self, "_" + self.source_type.replace("-", "_"))
        for person_id, person_rows in by_person.items():
            person_rows.sort(key=lambda r: r.row_no)
            drafts.extend(handler(self.people[person_id], person_rows, self.households_done))
        return drafts

    def missing(
        self, eligible: Iterable[dict], matched: set[int], change: str, proposal: dict, what: str
    ) -> list[Draft]:
        """Registry people the source should hold but lacks."""
        drafts = []
        for person in eligible:
            if person["id"] in matched:
                continue
            wanted = {k: v for k, v in proposal.items() if person.get(k) != v}
            drafts.append(
                Draft(
                    MISSING, person["area_id"], person_id=person["id"], name=person["name"], change=change,
                    registry=self.registry_values(person, SHOWN[change]),
                    proposal={"person": _plain(wanted)} if wanted else {},
                    summary=f"名册有此人，{what}数据中没有：{UNINSURED}",
                    status=OPEN if wanted else INFO,
                )
            )  # fmt: skip
        return drafts

    def registry_values(self, person: dict, fields: Iterable[str]) -> dict:
        """The registry values a finding keeps: those its change compares, as they are now. Who the person
        is (姓名, 证件号码 …) is not repeated in every finding: Finding.registry_shown reads it from the
        person."""
        return {LABELS[name]: shown(person.get(name)) for name in fields}

    # -- helpers -----------------------------------------------------------------------------------
    def _draft(
        self, person, rows: list[Linked], change: str, proposal: dict, summary: str, fields=()
    ) -> Draft:
        first = rows[0]
        return Draft(
            CONFLICT, person["area_id"], person_id=person["id"], row_no=first.row_no, name=person["name"],
            method=first.method, probability=min((r.probability or 0) for r in rows) if rows else None,
            change=change, covers=[r.row_no for r in rows],
            registry=self.registry_values(person, fields or SHOWN.get(change, ())),
            proposal=proposal, summary=summary[:500], status=OPEN if proposal else INFO,
        )  # fmt: skip

    def _contradiction(self, person, rows: list[Linked], what: str, fields=()) -> Draft:
        numbers = "、".join(f"第{r.row_no}行" for r in rows)
        return self._draft(
            person, rows, "contradiction", {}, f"{numbers}对此人的{what}相互矛盾，请核实", fields
        )

    def _person_change(self, person, rows, change, wanted: dict, summary: str) -> list[Draft]:
        diff = {k: v for k, v in wanted.items() if person.get(k) != v}
        if not diff:
            return []
        text = advice(change, self.registry_values(person, SHOWN[change]), diff)
        return [self._draft(person, rows, change, {"person": _plain(diff)}, f"{summary}{ADVICE}{text}")]

    # -- per source type ---------------------------------------------------------------------------
    def _death(self, person, rows, _done):
        dates = sorted({r.extra["死亡日期"] for r in rows})
        if len(dates) > 1:
            return [self._contradiction(person, rows, "死亡日期")]
        died = dt.date.fromisoformat(dates[0])
        return self._person_change(
            person, rows, "death", {"is_deceased": True, "died_on": died}, f"来源：{died.isoformat()} 死亡"
        )

    def _disability(self, person, rows, _done):
        values = sorted({(r.extra["残疾类别"], r.extra["残疾等级"]) for r in rows})
        if len(values) > 1:
            return [self._contradiction(person, rows, "残疾类别、等级")]
        category, grade = values[0]
        wanted = {"health": "残疾", "disability_category": category, "disability_grade": grade}
        return self._person_change(person, rows, "disability", wanted, f"来源：{category}{grade}")

    def _medical_settlement(self, person, rows, _done):
        """Settlements change nothing in the registry (bangfu/pension keeps them: 医疗负担)."""
        return []

    def _medical_insurance(self, person, rows, _done):
        latest = max(r.extra["参保年度"] for r in rows)
        current = [r for r in rows if r.extra["参保年度"] == latest]
        statuses = sorted({r.extra["参保状态"] for r in current})
        if len(statuses) > 1:
            return [self._contradiction(person, current, f"{latest}年度医保参保状态")]
        if (person.get("medical_insured_year") or 0) > latest:
            return []  # the registry already knows a later year
        wanted = {"medical_insured_year": latest, "medical_status": statuses[0]}
        return self._person_change(person, current, "medical", wanted, f"来源：{latest}年度{statuses[0]}")

    def _civil_affairs(self, person, rows, done):
        drafts = []
        for kind, field_name in (("低保", "is_dibao"), ("特困", "is_tekun")):
            mine = [r for r in rows if r.extra["救助类型"] == kind]
            if not mine:
                continue
            active = {self._assisted(r) for r in mine}
            key = (person["household_id"], field_name)
            if key in done:
                continue  # another member of the household already carries it
            done.add(key)
            if len(active) > 1:
                drafts.append(self._contradiction(person, mine, f"{kind}状态", ("is_dibao", "is_tekun")))
                continue
            now = active.pop()
            if person.get(field_name) == now:
                continue
            word = "享受中" if now else "已终止"
            summary = (
                f"来源：{kind}{word}（{_period(mine[-1])}）。建议：户的{LABELS[field_name]}："
                f"{shown(person.get(field_name)) or '（空）'} → {shown(now)}"
            )
            drafts.append(self._draft(person, mine, "assistance", {"household": {field_name: now}}, summary))
        return drafts

    def _assisted(self, row: Linked) -> bool:
        start, end = row.extra.get("开始日期"), row.extra.get("终止日期")
        today = self.today.isoformat()
        return (not start or start <= today) and (not end or end > today)

    def _social_insurance(self, person, rows, _done):
        drafts = []
        pension = [r for r in rows if r.extra["险种"] in PENSION_KINDS]
        if pension:
            by_kind = defaultdict(set)
            for r in pension:
                by_kind[r.extra["险种"]].add(r.extra["参保状态"])
            torn = [k for k, statuses in by_kind.items() if len(statuses) > 1]
            if torn:
                drafts.append(self._contradiction(person, pension, f"{torn[0]}参保状态", SHOWN["pension"]))
            else:
                # An active enrolment wins over a paused or ended one of another kind.
                best = sorted(pension, key=lambda r: (r.extra["参保状态"] not in ACTIVE_INSURANCE, r.row_no))[
                    0
                ]
                wanted = {"pension_insurance": best.extra["险种"], "pension_status": best.extra["参保状态"]}
                drafts += self._person_change(
                    person, [best], "pension", wanted, f"来源：{best.extra['险种']}{best.extra['参保状态']}"
                )
        at_employer = [r for r in rows if r.extra["险种"] in EMPLOYER_INSURANCE and r.extra.get("参保单位")]
        paid = [r for r in at_employer if r.extra["参保状态"] == "参保缴费"]
        today = self.today.isoformat()
        ended = [
            e
            for e in (self._insurance_ended(r) for r in at_employer if r.extra["参保状态"] == TERMINATED)
            if e.ended_on <= today
        ]
        # Paid and terminated at one employer: the rows contradict each other about that job.
        torn = {r.extra["参保单位"] for r in paid} & {e.name for e in ended}
        if torn:
            clash = sorted(
                [r for r in paid if r.extra["参保单位"] in torn] + [e.row for e in ended if e.name in torn],
                key=lambda r: r.row_no,
            )
            unit = clash[0].extra["参保单位"]
            return [*drafts, self._contradiction(person, clash, f"在「{unit}」的就业（参保缴费与终止参保）")]
        if paid:
            row = paid[-1]
            month = row.extra.get("最近缴费年月")
            job = {
                "employer_name": row.extra["参保单位"],
                "credit_code": "",
                "work_area": row.extra.get("参保地区划代码"),
                "started_on": f"{month}-01" if month else self.today.isoformat(),
                "ended_on": None,
                "monthly_wage": None,
            }
            drafts += self._job(
                person, [row], job, f"来源：由「{row.extra['参保单位']}」缴纳{row.extra['险种']}"
            )
        return drafts + self._endings(person, ended, current=bool(paid))

    def _insurance_ended(self, row: Linked) -> Ended:
        """A 终止参保 row of an insurance an employer pays: the job there ended on its 终止参保日期, else on
        the last day of its 最近缴费年月 (nothing is paid for a month after the job), else on the run's day
        (the latest it can have been)."""
        unit = row.extra["参保单位"]
        found = self.ledger.find(unit, "")
        day, month = row.extra.get("终止参保日期"), row.extra.get("最近缴费年月")
        if day:
            note = f"终止参保日期 {day}"
        elif month:
            day = month_end(month)
            note = f"未写终止参保日期，按最近缴费年月 {month} 的月末"
        else:
            day = self.today.isoformat()
            note = "未写终止参保日期和最近缴费年月，按比对日期"
        said = f"来源：「{unit}」{row.extra['险种']}终止参保（{note}）"
        return Ended(row, unit, found.code if found else "", day, said)

    def _employment(self, person, rows, _done):
        today = self.today.isoformat()
        current = [r for r in rows if not r.extra.get("离职日期") or r.extra["离职日期"] > today]
        ended = [r for r in rows if r.extra.get("离职日期") and r.extra["离职日期"] <= today]
        drafts = []
        if current:
            employers = {_employer(r) for r in current}
            if len(employers) > 1:
                return [self._contradiction(person, current, "在职单位（同时在多家单位在职）")]
            # A row at the same employer that ended on or after a current row there started: the rows say
            # both that the person works there and that they left.
            since = min(r.extra["入职日期"] for r in current)
            clash = [r for r in ended if _employer(r) in employers and r.extra["离职日期"] >= since]
            if clash:
                both = sorted(current + clash, key=lambda r: r.row_no)
                return [self._contradiction(person, both, "在职状态（同一单位既在职又已离职）")]
            row = max(current, key=lambda r: (r.extra["入职日期"], r.row_no))
            job = {
                "employer_name": row.extra["单位名称"],
                "credit_code": row.extra.get("统一社会信用代码") or "",
                "work_area": row.extra.get("工作地区划代码"),
                "started_on": row.extra["入职日期"],
                "ended_on": row.extra.get("离职日期"),
                "monthly_wage": row.extra.get("月工资"),
            }
            drafts += self._job(
                person, [row], job, f"来源：{row.extra['入职日期']} 入职「{row.extra['单位名称']}」"
            )
        endings = []
        for r in ended:
            name, code = r.extra["单位名称"], r.extra.get("统一社会信用代码") or ""
            if not code and (found := self.ledger.find(name, "")):
                code = found.code
            said = f"来源：{r.extra['离职日期']} 从「{name}」离职"
            endings.append(Ended(r, name, code, r.extra["离职日期"], said))
        return drafts + self._endings(person, endings, current=bool(current))

    def _endings(self, person, ended: list[Ended], *, current: bool) -> list[Draft]:
        """Per record in force of the person that a row saying a job ended speaks of
        (ended_record_matches), a finding proposing to end it: on the latest such end (the first row of
        those)."""
        records = sorted(self.in_force.get(person["id"], ()), key=lambda r: (r.started_on, r.id))
        drafts = []
        for record in records:
            matching = [e for e in ended if ended_record_matches(e, record, len(records) == 1, current)]
            if not matching:
                continue
            best = max(sorted(matching, key=lambda e: e.row.row_no), key=lambda e: e.ended_on)
            proposal = {
                ENDING: {
                    "record": record.id,
                    "employer_name": record.employer_name,
                    "credit_code": record.credit_code,
                    "started_on": record.started_on,
                    "ended_on": best.ended_on,
                }
            }
            summary = (
                f"{best.said}；名册：{record.shown}，在职。建议：结束该就业记录，离职日期 {best.ended_on}"
            )
            draft = self._draft(person, [best.row], ENDING, proposal, summary)
            draft.registry = {
                LABELS["employment_status"]: shown(person.get("employment_status")),
                RECORD_LABEL: record.shown,
            }
            drafts.append(draft)
        return drafts

    def _job(self, person, rows, job: dict, summary: str) -> list[Draft]:
        # Where the row says nothing of the work place: the employers ledger's area of the employer, else
        # the area where its credit code was registered (a place only, not a work area).
        found = self.ledger.find(job["employer_name"], job["credit_code"])
        if not job["work_area"] and found is not None:
            job["work_area"] = found.area
        work_area = job["work_area"]
        if not work_area and len(job["credit_code"]) == 18:
            work_area = job["credit_code"][2:8].ljust(12, "0")  # the code's registration area
        place = place_of_work(work_area, person["area_id"])
        job["place"] = {"县内务工": "县内", "省内县外务工": "省内县外", "省外务工": "省外"}.get(
            place or "", ""
        )
        job["channel"] = WORKSHOP_CHANNEL if found is not None and found.kind in WORKSHOP_KINDS else ""
        proposal: dict = {}
        parts = []
        key = employment_key(job["employer_name"], job["credit_code"], job["started_on"])
        if key not in self.employments.get(person["id"], set()):
            proposal["employment"] = job
            parts.append("新增就业记录")
        status = person.get("employment_status") or ""
        if place and status != place:
            proposal["person"] = {"employment_status": place}
            parts.append(f"务工状态：{status or '（空）'} → {place}")
        elif not place and status in ("", "未务工"):
            parts.append("务工地无法确定，请核实后修改务工状态")
        if not proposal:
            return []
        return [
            self._draft(
                person,
                rows,
                "employment",
                proposal,
                f"{summary}；名册：{status or '（空）'}。建议：{'；'.join(parts)}",
            )
        ]


def _employer(row: Linked) -> str:
    """Who a 就业 row's employer is: its credit code, else its name."""
    return row.extra.get("统一社会信用代码") or row.extra["单位名称"]


def month_end(month: str) -> str:
    """2025-02 → 2025-02-28: the last day of a month written YYYY-MM."""
    year, number = int(month[:4]), int(month[5:7])
    following = dt.date(year + number // 12, number % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).isoformat()


def _period(row: Linked) -> str:
    start, end = row.extra.get("开始日期") or "", row.extra.get("终止日期") or ""
    return f"{start or '？'} 至 {end or '今'}"


def _plain(values: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items()}
