"""Data comparison (数据比对): runs of other departments' files against the registry, their findings, and
the laborers who cannot be reached (联系不上)."""

import re
from pathlib import Path

from django.conf import settings
from django.db import models

from bangfu.areas.models import Area
from bangfu.areas.scope import AreaScopedQuerySet
from bangfu.compare.sources import TYPE_NAMES
from bangfu.compare.verdicts import ADVICE, IDENTITY_FIELDS, LABELS, PERSON_CHANGES, RECORD_LABEL, advice
from bangfu.core.background import STOPPED_LABEL, Runner
from bangfu.registry.models import Person

SOURCE_TYPE_CHOICES = list(TYPE_NAMES.items())
# How a row was linked, as pages, exports and results.csv name it.
METHOD_NAMES = {"exact": "精确匹配", "fuzzy": "模糊匹配", "ambiguous": "待核实", "none": "未匹配"}


class RunStatus(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "处理中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"
    STOPPED = "stopped", STOPPED_LABEL  # its process is gone (core.background)


class Kind(models.TextChoices):
    """What a finding is."""

    EXACT = "exact", "精确匹配"
    FUZZY = "fuzzy", "模糊匹配"
    # A row that fits several registry people alike (or one person another row fits as well): linked to
    # nobody, the candidates side by side for a person to decide (registry: {"candidates": [...]}).
    AMBIGUOUS = "ambiguous", "待核实（多人相符）"
    UNMATCHED = "unmatched", "未匹配"
    MISSING = "missing", "来源缺少（未参保）"
    CONFLICT = "conflict", "冲突"
    FILL = "fill", "名册补录（按村）"


class ChangeKind(models.TextChoices):
    """The kind of registry change a finding proposes; a run's settings name those applied automatically."""

    EMPLOYMENT = "employment", "就业（新增就业记录、务工状态）"
    # A row saying a job ended (就业 离职日期, 社保 终止参保 of an employer's insurance): end the record in
    # force there (proposal {"ending": {"record": id, …, "ended_on": date}}).
    ENDING = "ending", "离职（结束就业记录）"
    DEATH = "death", "死亡（标记已故）"
    ASSISTANCE = "assistance", "低保/特困状态"
    DISABILITY = "disability", "残疾"
    PENSION = "pension", "养老保险参保状态"
    MEDICAL = "medical", "医保参保状态"
    CONTRADICTION = "contradiction", "来源记录相互矛盾"
    # A row linked by its ID number whose name, sex or birth date is not the registry's: to check.
    IDENTITY = "identity", "证件号码相同、身份信息不一致"


# Changes a person only checks (nothing is proposed): never applied automatically.
CHECKED_ONLY = (ChangeKind.CONTRADICTION, ChangeKind.IDENTITY)
AUTO_APPLICABLE = [c for c in ChangeKind if c not in CHECKED_ONLY]


class Status(models.TextChoices):
    INFO = "info", "无需处理"
    OPEN = "open", "待处理"
    ACCEPTED = "accepted", "已接受"
    REJECTED = "rejected", "已驳回"


class BackgroundWork(Runner):
    """What work done in the background keeps for its page (a comparison run, a bulk decision): where it
    stands, what it says, when it was asked for, started and finished."""

    status = models.CharField("状态", max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING)
    message = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED, RunStatus.STOPPED)


class ComparisonRun(BackgroundWork):
    """One source file compared with the registry of one area: the file, who ran it, when, its settings,
    its progress and its outcome."""

    source_type = models.CharField("比对数据类型", max_length=20, choices=SOURCE_TYPE_CHOICES)
    area = models.ForeignKey(Area, verbose_name="比对区域", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="比对人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    file = models.FileField("文件", upload_to="compare/%Y/%m/", max_length=300)
    original_name = models.CharField("原文件名", max_length=255)
    threshold = models.FloatField("模糊匹配阈值", default=0.9)
    auto_apply = models.JSONField("自动应用的变更", default=list, blank=True)
    phase = models.CharField("阶段", max_length=60, blank=True)
    percent = models.PositiveSmallIntegerField("进度", default=0)
    total_rows = models.PositiveIntegerField("数据行", default=0)
    error_rows = models.PositiveIntegerField("错误行", default=0)
    # Rows matched exactly by ID that propose nothing are not kept one finding each (results.csv lists
    # every row with its result): only their number, here. Conflicts of those rows are findings.
    matched_exact = models.PositiveIntegerField("精确匹配行数", default=0)
    counts = models.JSONField("结果统计", default=dict, blank=True)
    # The first errors of rejected rows (exchange.errors.error_list: row, column, value, reason).
    errors = models.JSONField("错误明细", default=list, blank=True)
    report = models.FileField("错误报告", upload_to="compare-reports/%Y/%m/", max_length=300, blank=True)
    results = models.FileField("比对结果", upload_to="compare-results/%Y/%m/", max_length=300, blank=True)
    # The source rows as uploaded (Parquet: row_no and a text column per source column; rowsfile.py), read
    # by row number when a finding is shown or exported; findings keep only the numbers of their rows.
    rows = models.FileField("来源行", upload_to="compare-rows/%Y/%m/", max_length=300, blank=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "比对批次"
        verbose_name_plural = "比对批次"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_source_type_display()}比对 {self.original_name}"

    @property
    def report_filename(self) -> str:
        """The error report as the user downloads it: named after their file, never the stored name."""
        return f"{Path(self.original_name).stem}-错误报告.xlsx"

    def stopped_message(self) -> str:
        return (
            "比对中断：处理进程已停止（被终止、崩溃或服务重启），本次比对结果不完整，请不要据此处理。"
            "点“重新比对”用同一文件和设置再比对一次。"
        )

    @property
    def auto_apply_labels(self) -> list[str]:
        return [ChangeKind(kind).label for kind in self.auto_apply if kind in ChangeKind.values]


class Finding(models.Model):
    """One result of a run: a source row matched (exactly or fuzzily) or not, a registry person the source
    lacks, or a conflict with the change it proposes. Findings with a proposal wait for a person to accept
    or reject them, unless the run's settings let that kind of change apply automatically."""

    # A run writes millions of findings at once (a row per source row, plus conflicts), all for itself and
    # for people and villages it has just read from the registry: the database does not check these keys
    # row by row (deferred checks that also lock every referenced row took longer than the rows' own
    # writing); Django still cascades and protects on delete. run and area need no index of their own:
    # the composite indexes below start with them.
    run = models.ForeignKey(
        ComparisonRun,
        verbose_name="比对批次",
        on_delete=models.CASCADE,
        related_name="findings",
        db_index=False,
        db_constraint=False,
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    change = models.CharField("变更类型", max_length=15, choices=ChangeKind.choices, blank=True)
    status = models.CharField("处理状态", max_length=10, choices=Status.choices, default=Status.INFO)
    # The person's village (or the run's area for rows that match nobody): area scope without a join.
    area = models.ForeignKey(
        Area,
        verbose_name="所属区域",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    # No index either: no page looks findings up by person, and people are never deleted (an index
    # entry per finding cost a province's run about a seventh of its writing).
    person = models.ForeignKey(
        Person,
        verbose_name="人员",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    row_no = models.PositiveIntegerField("源行号", null=True, blank=True)
    name = models.CharField("姓名", max_length=50, blank=True)
    method = models.CharField("匹配方式", max_length=10, blank=True)
    probability = models.FloatField("匹配概率", null=True, blank=True)
    # Since migration 0004: {} for the one row `row_no`, or {"rows": [row numbers]} for several; the rows'
    # cells are read from the run's rows file (source_rows). Findings of earlier runs hold the cells
    # themselves: {column: text}, or {"rows": [{"源行号": n, column: text, …}, …]}.
    source = models.JSONField("来源记录", default=dict, blank=True)
    # {label: value} of what the finding's change compares, as the registry held it when the run judged
    # it; who the person is (姓名, 证件号码 …) is read from the person (registry_shown), not repeated here.
    registry = models.JSONField("名册记录", default=dict, blank=True)
    proposal = models.JSONField("建议变更", default=dict, blank=True)
    # What differs, as a person reads it: show `difference`. A change to the person's own values (a
    # conflict of verdicts.PERSON_CHANGES) stores only what the source said ("来源：…"); its advice
    # is derived from registry and proposal, which hold it already (a province's first 社保 run wrote
    # 0.4 GB of it). Findings written before kept the advice here.
    summary = models.CharField("差异", max_length=500, blank=True)
    automatic = models.BooleanField("自动应用", default=False)
    # No index: nothing looks findings up by who decided them (users are deactivated, never deleted), and
    # an index entry per finding, NULL at first, cost a run of millions about a tenth of its writing.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    outcome = models.CharField("处理结果", max_length=500, blank=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "比对结果"
        verbose_name_plural = "比对结果"
        # Newest run first; within a run by kind and status, then as written: by village (run.
        # WRITE_ORDER). The first index serves that order as it is, so a province's list of millions
        # opens at once (it sorted every finding before: 21 s at 4.4 million); the second serves people
        # of a small area, whose findings are few.
        ordering = ["-run_id", "kind", "status", "id"]
        indexes = [
            models.Index(fields=["-run", "kind", "status", "id"], name="compare_finding_run_order"),
            models.Index(fields=["area", "kind", "status"]),
        ]

    def __str__(self):
        if self.kind == Kind.FILL:
            return f"名册补录（{self.get_change_display()}）：{self.area_id}"
        what = self.get_change_display() if self.change else self.get_kind_display()
        return f"{what}：{self.name or '—'}" + (f"（第{self.row_no}行）" if self.row_no else "")

    @property
    def method_label(self) -> str:
        return METHOD_NAMES.get(self.method, self.method)

    def source_rows(self) -> list[dict]:
        """The source rows the finding covers, each {column: text} as uploaded (with 源行号 when several):
        read from the run's rows file, or held by the finding itself (runs before the rows file)."""
        from bangfu.compare.rowsfile import covered_rows

        return covered_rows([self])[self.pk]

    @property
    def registry_shown(self) -> dict:
        """The registry side of the finding: who the person is, from the person (a run keeps only what it
        compares, as it was then; findings of earlier runs kept everything and keep showing it)."""
        if self.person_id is None:
            return {} if self.kind == Kind.AMBIGUOUS else self.registry
        return {**identity(self.person), **self.registry}

    @property
    def decidable(self) -> bool:
        return self.status == Status.OPEN

    @property
    def difference(self) -> str:
        """What differs and what is proposed, in full: the stored summary, with the advice of a change to
        the person derived again from the finding's registry values and proposal (verdicts.advice). Findings
        written before kept the advice in their summary, and show it as it is. A fill's advice is what it
        proposes for each of its people, whose registry holds none of the values."""
        derived = self.kind == Kind.FILL or (self.kind == Kind.CONFLICT and self.change in PERSON_CHANGES)
        if not derived or ADVICE in self.summary:
            return self.summary
        return f"{self.summary}{ADVICE}{self.advice}"[:500]

    @property
    def advice(self) -> str:
        """The change to the person's own values it proposes, field by field against its registry values
        (verdicts.advice): for a fill, what each of its people gets, as results.csv advises for their rows."""
        return advice(self.change, self.registry, self.proposal.get("person") or {})

    @property
    def differs(self) -> list[str]:
        """The fields that differ, as the registry side names them: who the person is, where the row says
        otherwise (a fuzzy link and an identity finding keep those registry values), and the values it
        proposes to change. Pages highlight them; the export lists them (差异字段)."""
        keys = []
        if self.kind == Kind.FUZZY or self.change == ChangeKind.IDENTITY:
            keys += [label for _, label in IDENTITY_FIELDS if label in self.registry]
        proposal = self.proposal or {}
        order = {name: n for n, name in enumerate(LABELS)}  # PostgreSQL's jsonb orders keys its own way
        for part in ("person", "household"):
            names = sorted(proposal.get(part) or {}, key=lambda name: order.get(name, len(order)))
            keys += [LABELS.get(name, name) for name in names]
        if proposal.get("employment"):
            keys.append("就业记录")
        if proposal.get(ChangeKind.ENDING):
            keys.append(RECORD_LABEL)
        return list(dict.fromkeys(keys))

    @property
    def candidates(self) -> list[dict]:
        """An ambiguous finding's candidates, best first: {"person": id, "probability": share}."""
        return (self.registry or {}).get("candidates", []) if self.kind == Kind.AMBIGUOUS else []

    @property
    def is_fill(self) -> bool:
        return self.kind == Kind.FILL

    @property
    def summary_public(self) -> str:
        """The difference for users who may not see health data: a disability change's names the
        disability, so they get what kind of difference it is, not the values."""
        if self.change == ChangeKind.DISABILITY:
            return "残疾信息与名册不一致（健康信息，仅有敏感信息查看权限的用户可以查看详情）"
        return self.difference


class FillPerson(models.Model):
    """One person of a fill finding (Kind.FILL): values the registry has never held that the source gives
    them, proposed (the finding's proposal) for them with the other people of their village the source
    gives the same values (judging.group_fills). A reviewer may leave people out before accepting;
    accepting fills the rest, each through the same action as a manual edit."""

    # Written by the million with the run's findings, for findings and people the run has just read:
    # the database does not check the keys row by row (as Finding's); the composite key is the index.
    pk = models.CompositePrimaryKey("finding_id", "person_id")
    finding = models.ForeignKey(
        Finding,
        verbose_name="比对结果",
        on_delete=models.CASCADE,
        related_name="people",
        db_index=False,
        db_constraint=False,
    )
    person = models.ForeignKey(
        Person,
        verbose_name="人员",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    row_no = models.PositiveIntegerField("源行号")
    excluded = models.BooleanField("不补录", default=False)
    outcome = models.CharField("处理结果", max_length=100, blank=True)

    class Meta:
        verbose_name = "补录人员"
        verbose_name_plural = "补录人员"
        ordering = ["finding_id", "row_no"]

    def __str__(self):
        return f"补录：{self.person_id}（第{self.row_no}行）"


class BulkDecision(BackgroundWork):
    """Many findings accepted or rejected at once, in the background (`bangfu db_worker`): the open findings
    that the findings page's filters (`filters`, as FindingFilter reads them) matched in `area` when it was
    asked for (ids up to `last_id`: findings of later runs are not swept in). Each is decided in its own
    transaction through the same action as one by one (history, audit); one that fails is counted and
    the others go on. Progress and outcome are kept here for its page."""

    area = models.ForeignKey(Area, verbose_name="区域", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    accepting = models.BooleanField("接受")
    note = models.CharField("驳回理由", max_length=200, blank=True)
    filters = models.JSONField("筛选条件", default=dict, blank=True)
    last_id = models.BigIntegerField("最大结果编号")
    total = models.PositiveIntegerField("待处理数")
    done = models.PositiveIntegerField("已处理", default=0)
    failed = models.PositiveIntegerField("失败", default=0)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "批量处理"
        verbose_name_plural = "批量处理"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"批量{self.verb} {self.total} 条比对结果"

    def stopped_message(self) -> str:
        return (
            f"批量处理中断：处理进程已停止（被终止、崩溃或服务重启）。已处理 {self.done} 条，结果保持不变；"
            "用同样的筛选条件重新提交“全部接受/全部驳回”，会继续处理剩余的待处理结果。"
        )

    @property
    def verb(self) -> str:
        return "接受" if self.accepting else "驳回"

    @property
    def percent(self) -> int:
        return 100 if self.finished else min(99, (self.done + self.failed) * 100 // max(self.total, 1))


def differ(key: str, mine, theirs) -> bool:
    """Whether a source cell and a registry value (as a finding shows it) under the same name disagree:
    both given and different once written alike (ID numbers' case and spaces, dates' separators)."""
    if mine in (None, "") or theirs in (None, ""):
        return False
    a, b = str(mine).strip(), str(theirs).strip()
    if key == "证件号码":
        a, b = a.upper().replace(" ", ""), b.upper()
    elif key.endswith("日期"):
        a, b = (_iso_date(v) for v in (a, b))
    return a != b


def _iso_date(text: str) -> str:
    """2025/3/1, 2025-03-01, 20250301 → 2025-03-01; anything else as it is."""
    found = re.fullmatch(r"(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?", text)
    return "{}-{:0>2}-{:0>2}".format(*found.groups()) if found else text


def identity(person: Person) -> dict:
    """Who a registry person is, as a finding shows it (in the verdicts' form of values, verdicts.shown)."""
    return {
        "姓名": person.name,
        "证件号码": person.id_number,
        "性别": person.sex,
        "出生日期": person.birth_date.isoformat() if person.birth_date else "",
        "联系电话": person.phone or "",
        "所在村": person.area_id,
    }
