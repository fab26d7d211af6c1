"""Write a synthetic registry file (EXCHANGE.md §1 columns) for import benchmarks and demos.

Run: .venv/bin/python bench/make_registry_file.py --people 1000000 --out /tmp/registry-1m.csv
"""

import argparse
import sys
import time
from operator import itemgetter
from pathlib import Path

from bangfu.areas.dataset import iter_divisions
from bangfu.demo.people import REGISTRY_COLUMNS, generate_households
from bangfu.exchange.report import EXCEL_MAX_ROWS, write_table


def villages_of(province: str, counties: list[str]) -> list[tuple[str, str]]:
    """(code, name) of every village-level division of the province, or of the given counties only."""
    wanted = tuple(counties)
    return [
        (d.code, d.name)
        for d in iter_divisions(province)
        if d.level == 5 and (not wanted or d.code.startswith(wanted))
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, required=True, help="about this many people (rows)")
    parser.add_argument("--out", required=True, help="the file to write")
    parser.add_argument("--format", choices=("csv", "xlsx"), help="default: from the --out suffix, else csv")
    parser.add_argument("--province", default="43", help="2-digit province code (default 43, Hunan)")
    parser.add_argument("--counties", default="", help="6-digit county codes, e.g. 433124,433123")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    counties = [c.strip() for c in args.counties.split(",") if c.strip()]
    bad = [c for c in counties if len(c) != 6 or not c.isdigit()]
    if bad:
        parser.error(f"county codes must have 6 digits: {', '.join(bad)}")
    provinces = sorted({c[:2] for c in counties}) if counties else [args.province]
    file_format = args.format or ("xlsx" if Path(args.out).suffix.lower() == ".xlsx" else "csv")
    if file_format == "xlsx" and args.people >= EXCEL_MAX_ROWS - 10:
        parser.error(f"xlsx holds at most {EXCEL_MAX_ROWS - 1} rows; use --format csv")

    started = time.perf_counter()
    villages = [v for province in provinces for v in villages_of(province, counties)]
    if not villages:
        parser.error("no villages found for the given province/counties")
    households = 0

    def rows():
        nonlocal households
        as_row = itemgetter(*REGISTRY_COLUMNS)
        for household in generate_households(villages, args.people, seed=args.seed):
            households += 1
            for member in household:
                yield as_row(member)

    written = write_table(args.out, REGISTRY_COLUMNS, rows(), file_format=file_format)
    seconds = time.perf_counter() - started
    print(
        f"{written} rows ({households} households, {len(villages)} villages) written to {args.out} "
        f"as {file_format} in {seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
