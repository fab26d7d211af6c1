"""Write a synthetic registry snapshot and a department file with known truth for `bench/compare.py`.

Run: .venv/bin/python bench/make_compare_data.py --registry 4000000 --source 5000000 --out /tmp/compare-4m

Writes OUT/registry.parquet (person_id, id_number, name, sex, birth_date, phone, area_code: what the app
extracts from its database), OUT/source.csv (a 社保参保 file as a department sends it, EXCHANGE.md §3:
姓名, 证件号码, 性别, 出生日期, 联系电话, 参保地区划代码, 险种, 参保状态, 最近缴费年月; the ID column is
text, damaged as described in `bangfu/compare/linkage/synthetic.py`) and OUT/truth.parquet (row_no =
the file's row number with the header as row 1, person_id or null, id_damage, kind).
"""

import argparse
import sys
import time
from pathlib import Path

import polars as pl

from bangfu.compare.linkage.synthetic import Damage, generate

SOURCE_COLUMNS = {
    "name": "姓名",
    "id_number": "证件号码",
    "sex": "性别",
    "birth_date": "出生日期",
    "phone": "联系电话",
    "area_code": "参保地区划代码",
}


def write(out: Path, n_registry: int, n_source: int, seed: int, damaged: float) -> None:
    started = time.perf_counter()
    data = generate(n_registry, n_source, seed=seed, damage=Damage(id_damaged=damaged))
    out.mkdir(parents=True, exist_ok=True)
    data.registry.write_parquet(out / "registry.parquet")
    n = data.source.height
    source = data.source.select(
        *(pl.col(k).alias(v) for k, v in SOURCE_COLUMNS.items()),
        pl.lit("城乡居民养老保险").alias("险种"),
        pl.Series("参保状态", ["参保缴费", "暂停缴费", "领取待遇"] * (n // 3) + ["参保缴费"] * (n % 3)),
        pl.lit("202510").alias("最近缴费年月"),
    )
    source.write_csv(out / "source.csv")
    data.truth.write_parquet(out / "truth.parquet")
    print(
        f"{data.registry.height} registry people, {n} source rows written to {out} "
        f"in {time.perf_counter() - started:.1f} s"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registry", type=int, required=True, help="registry people")
    parser.add_argument("--source", type=int, required=True, help="rows of the department file")
    parser.add_argument("--out", required=True, help="directory to write")
    parser.add_argument("--damaged", type=float, default=0.03, help="share of source rows with a damaged ID")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    write(Path(args.out), args.registry, args.source, args.seed, args.damaged)
    return 0


if __name__ == "__main__":
    sys.exit(main())
