"""The Splink model for the rows the exact step cannot link: comparisons, blocking rules and training.

The settings are plain Splink creators, so the same model runs on DuckDB here and on Spark
(`SparkAPI`) for national scale; both backends get the same trained settings dictionary.

Training (why and how, docs/linkage.md): m is counted on pairs the exact step linked (same valid ID
number and a compatible name — a large, clean set of true matches from the very same file), u on pairs
of a source row and pseudo-random registry people chosen by a hash of their keys (deterministic, no
sampling randomness). The ID-number comparison cannot be learnt from exact pairs (there the number is
always equal), so its m values are fixed priors. Counts are smoothed and floored so that no level is
ever certain.
"""

from __future__ import annotations

import math
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on

__all__ = [
    "FEATURE_COLUMNS",
    "ID_M_PRIORS",
    "blocking_rules",
    "comparisons",
    "settings",
    "with_parameters",
]

# Columns each side of a comparison must carry (besides unique_id), as built by pipeline.py.
FEATURE_COLUMNS = (
    "name", "name_py", "surname_py", "dob", "sex", "phone",
    "area4", "area6", "area9", "area12", "id_digits", "id_valid",
)  # fmt: skip

# m for the ID-number levels [exact, one typo (one character differs, or two neighbours swapped), two
# characters differ, different but the source ID is a valid number, different]. Among true matches
# that reach the fuzzy step with digits in the ID, most carry a typo. Two valid IDs can never be one
# typo apart (the check digit catches every single change and every swap), so that level is strong
# evidence. There is no level for "same first 14 digits": those are the area and birth date, already
# compared on their own. An exact ID at the fuzzy step means the name did not fit (someone else's
# number, or a renamed person), so it is only moderate evidence: ID_EXACT_BITS below (tuned on the
# benchmark, docs/linkage.md). A valid number that belongs to nobody in the registry and is not one
# typo from this person's is evidence against him.
ID_M_PRIORS = (0.10, 0.50, 0.10, 0.08, 0.22)
ID_EXACT_BITS = 10.0
# Two characters apart (a typo whose check digit was "corrected", Excel's last digits): the same weight.
# Measured on random pairs it would look far stronger, but two people of the same county and birth
# date (already counted by those comparisons) are often two characters apart.
ID_TWO_EDITS_BITS = 8.0
M_FLOOR = 0.002  # no level is impossible for a true match
U_FLOOR_PAIRS = 1.0  # add-one smoothing of u counts
# Family members share a phone, so among candidate pairs an equal phone is far less rare than among
# random pairs; its u is kept at least this high (an equal phone is worth at most ~13 bits).
U_MIN = {("phone", 0): 1e-4, ("phone", 1): 1e-4}


def comparisons() -> list:
    return [
        cl.CustomComparison(
            output_column_name="name",
            comparison_description="姓名（拼音）",
            comparison_levels=[
                cll.NullLevel("name_py"),
                cll.ExactMatchLevel("name"),
                cll.ExactMatchLevel("name_py"),
                cll.JaroWinklerLevel("name_py", 0.92),
                cll.CustomLevel("surname_py_l = surname_py_r", label_for_charts="surname pinyin equal"),
                cll.ElseLevel(),
            ],
        ),
        cl.CustomComparison(
            output_column_name="dob",
            comparison_description="出生日期",
            comparison_levels=[
                cll.NullLevel("dob"),
                cll.ExactMatchLevel("dob"),
                cll.LevenshteinLevel("dob", 1),
                cll.CustomLevel("substr(dob_l, 1, 4) = substr(dob_r, 1, 4)", label_for_charts="same year"),
                cll.ElseLevel(),
            ],
        ),
        cl.CustomComparison(
            output_column_name="sex",
            comparison_description="性别",
            comparison_levels=[cll.NullLevel("sex"), cll.ExactMatchLevel("sex"), cll.ElseLevel()],
        ),
        cl.CustomComparison(
            output_column_name="phone",
            comparison_description="联系电话",
            comparison_levels=[
                cll.NullLevel("phone"),
                cll.ExactMatchLevel("phone"),
                cll.LevenshteinLevel("phone", 1),
                cll.ElseLevel(),
            ],
        ),
        cl.CustomComparison(
            output_column_name="area",
            comparison_description="行政区划",
            comparison_levels=[
                cll.CustomLevel("area4_l IS NULL OR area4_r IS NULL", label_for_charts="null").configure(
                    is_null_level=True
                ),
                cll.CustomLevel("area12_l = area12_r", label_for_charts="same village"),
                cll.CustomLevel("area9_l = area9_r", label_for_charts="same township"),
                cll.CustomLevel("area6_l = area6_r", label_for_charts="same county"),
                cll.CustomLevel("area4_l = area4_r", label_for_charts="same city"),
                cll.ElseLevel(),
            ],
        ),
        cl.CustomComparison(
            output_column_name="id",
            comparison_description="证件号码",
            comparison_levels=[
                cll.NullLevel("id_digits"),
                cll.ExactMatchLevel("id_digits"),
                cll.CustomLevel(
                    "levenshtein(id_digits_l, id_digits_r) <= 1 OR (levenshtein(id_digits_l, id_digits_r) = 2"
                    " AND damerau_levenshtein(id_digits_l, id_digits_r) = 1)",
                    label_for_charts="one typo",
                ),
                cll.LevenshteinLevel("id_digits", 2),
                cll.CustomLevel("id_valid_l AND id_valid_r", label_for_charts="different, source ID valid"),
                cll.ElseLevel(),
            ],
        ),
    ]


def blocking_rules() -> list:
    """Candidate pairs: each rule catches a different combination of damage (see docs/linkage.md)."""
    return [
        block_on("dob", "name_py"),  # ID unusable, moved, phone changed
        block_on("dob", "area6"),  # name miswritten
        block_on("phone"),  # moved, birth date missing
        block_on("name_py", "area9"),  # birth date missing or wrong
        # ...and the source gives only the county
        "l.name_py = r.name_py AND l.area6 = r.area6 AND (l.area9 IS NULL OR r.area9 IS NULL)",
        block_on("substr(id_digits, 1, 14)"),  # birth date column missing, typo late in the ID
        block_on("substr(id_digits, 7, 12)"),  # typo in the area part of the ID
    ]


def settings(prior: float, *, retain_intermediate: bool = False) -> SettingsCreator:
    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        probability_two_random_records_match=prior,
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=blocking_rules(),
        retain_matching_columns=retain_intermediate,
        retain_intermediate_calculation_columns=retain_intermediate,
        additional_columns_to_retain=[],
    )


def with_parameters(
    model: dict[str, Any], m_counts: dict[str, list[float]], u_counts: dict[str, list[float]], prior: float
) -> dict[str, Any]:
    """The settings dictionary `model` with m and u set from level counts (highest level first).

    `m_counts[name]` / `u_counts[name]` hold the number of training pairs in each non-null level of
    comparison `name`, in the order the levels are declared. The ID comparison takes `ID_M_PRIORS`."""
    model = dict(model, probability_two_random_records_match=prior)
    comparisons_out = []
    for comparison in model["comparisons"]:
        comparison = dict(comparison)
        name = comparison["output_column_name"]
        levels = [dict(level) for level in comparison["comparison_levels"]]
        live = [level for level in levels if not level.get("is_null_level")]
        if name == "id":
            m = list(ID_M_PRIORS)
        else:
            counts = m_counts[name]
            total = sum(counts)
            m = [(c + 0.5) / (total + 0.5 * len(counts)) for c in counts]
            m = [max(p, M_FLOOR) for p in m]
        m_total = sum(m)
        u_raw = u_counts[name]
        u_total = sum(u_raw) + U_FLOOR_PAIRS * len(u_raw)
        u = [(c + U_FLOOR_PAIRS) / u_total for c in u_raw]
        u = [max(p, U_MIN.get((name, i), 0.0)) for i, p in enumerate(u)]
        if name == "id":
            # Training pairs all have valid IDs, so both "else" levels take the measured "else" u; the
            # exact level is set from ID_EXACT_BITS.
            u_else = u[3] + u[4]
            u_exact = (m[0] / m_total) / 2**ID_EXACT_BITS
            u = [u_exact, u[1], (m[2] / m_total) / 2**ID_TWO_EDITS_BITS, u_else, u_else]
        for level, m_value, u_value in zip(live, m, u, strict=True):
            level["m_probability"] = m_value / m_total
            level["u_probability"] = u_value
        comparison["comparison_levels"] = levels
        comparisons_out.append(comparison)
    model["comparisons"] = comparisons_out
    return model


def log2_odds(p: float) -> float:
    return math.log2(p / (1 - p))


def settings_for_dialect(trained: dict[str, Any], dialect: str) -> dict[str, Any]:
    """The trained model (as `link()` returns it, DuckDB SQL) rebuilt for another Splink backend, e.g.
    "spark": comparison SQL and blocking rules from the creators in that dialect, m/u and the prior
    copied level by level."""
    out = settings(trained["probability_two_random_records_match"]).get_settings(dialect).as_dict()
    for comparison, source in zip(out["comparisons"], trained["comparisons"], strict=True):
        assert comparison["output_column_name"] == source["output_column_name"]
        for level, level_source in zip(
            comparison["comparison_levels"], source["comparison_levels"], strict=True
        ):
            for key in ("m_probability", "u_probability"):
                if key in level_source:
                    level[key] = level_source[key]
    out["linker_uid"] = trained.get("linker_uid", "bangfu_compare")
    return out
