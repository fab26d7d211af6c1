"""Whether a job suits low-skill poor laborers (技能要求和入职门槛相对较低), judged by a rule given as data.

Plain Python: the caller hands in the rule's values (from `SuitabilityRule`) and the job's fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bangfu.registry.vocab import EDUCATIONS


@dataclass(frozen=True)
class Rule:
    max_education: str = "初中"
    occupation_groups: tuple[str, ...] = ()
    max_skills_chars: int = 30
    demanding_words: tuple[str, ...] = ()
    easy_words: tuple[str, ...] = ()

    @classmethod
    def of(cls, model) -> Rule:
        return cls(
            max_education=model.max_education,
            occupation_groups=tuple(model.occupation_groups or ()),
            max_skills_chars=model.max_skills_chars,
            demanding_words=tuple(model.demanding_words or ()),
            easy_words=tuple(model.easy_words or ()),
        )


@dataclass
class Verdict:
    suits: bool
    reasons: list[str] = field(default_factory=list)
    """Why not, in Chinese; empty when it suits."""


def in_groups(code: str, groups: tuple[str, ...]) -> bool:
    """`code` (e.g. 6-18-02-04) lies under one of the prefixes (6, 6-18, 6-18-02 …)."""
    return any(code == g or code.startswith(g + "-") for g in groups)


def judge(rule: Rule, *, education_min: str, skills_required: str, occupation_code: str | None) -> Verdict:
    """All three must hold: education at most the rule's, simple or no skills, a low-threshold occupation.

    A job with no occupation code is not held back by the occupation test (nothing to judge it by).
    """
    reasons = []
    known = education_min in EDUCATIONS
    if known and EDUCATIONS.index(education_min) > EDUCATIONS.index(rule.max_education):
        reasons.append(f"学历要求{education_min}，高于{rule.max_education}")
    skills = (skills_required or "").strip()
    if skills and not any(word in skills for word in rule.easy_words):
        demanding = [word for word in rule.demanding_words if word in skills]
        if demanding:
            reasons.append(f"技能要求含“{'、'.join(demanding)}”")
        elif len(skills) > rule.max_skills_chars:
            reasons.append(f"技能要求较多（超过 {rule.max_skills_chars} 字）")
    if occupation_code and rule.occupation_groups and not in_groups(occupation_code, rule.occupation_groups):
        reasons.append("职业不属于低门槛职业类别")
    return Verdict(not reasons, reasons)
