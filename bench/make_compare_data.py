"""Write a synthetic registry snapshot and department files with known truth for the 数据比对 benchmarks.

Run: .venv/bin/python bench/make_compare_data.py --registry 4000000 --source 5000000 --out /tmp/compare-4m
     [--types social-insurance employment …]

Writes OUT/registry.parquet (person_id, id_number, name, sex, birth_date, phone, area_code: what the app
extracts from its database), OUT/truth.parquet (row_no = the file's row number with the header as row 1,
person_id or null, id_damage, kind) and, per source type (EXCHANGE.md §3), a department's file of the
same rows (the same people, the same damage: `bangfu/compare/linkage/synthetic.py`) with that type's own
columns: OUT/source.csv for 社保参保 (the file of `bench/compare.py` and `bench/compare_app.py`),
OUT/source-TYPE.csv for the others. The ID column is text. The files differ in the columns that tell who
someone is, as departments' files do:

- 社保参保: 参保地区划代码 (where a 城乡居民养老保险 enrolee lives), phone;
- 就业登记/用工备案: no place of residence, only where the person works (工作地区划代码: the home county
  for half, elsewhere in the province or outside it for the rest), phone;
- 死亡: 户籍地区划代码, no phone;
- 低保特困, 残疾人: 户籍地区划代码, phone;
- 医保参保: phone, no place.

A type's own values are drawn per person (a second record of someone says the same, except for jobs,
which are drawn per row), by a hash of the person (or of the row, outside the registry).
"""

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import polars as pl

from bangfu.compare import sources
from bangfu.compare.linkage.synthetic import Damage, generate

TYPES = list(sources.TYPES)
TODAY = dt.date(2026, 12, 1)  # the type values' "now": dates before it, years up to it


def source_file(out: Path, source_type: str) -> Path:
    return out / ("source.csv" if source_type == sources.SOCIAL else f"source-{source_type}.csv")


def _draw(key: pl.Expr, salt: int, n: int) -> pl.Expr:
    """A number in 0..n-1 drawn from `key` (a person or a row) and `salt` (which value)."""
    return ((key + salt * 1_000_003).hash(seed=2026) % n).cast(pl.Int64)


def _date(days_before: pl.Expr) -> pl.Expr:
    return (pl.lit(TODAY) - pl.duration(days=days_before)).dt.strftime("%Y-%m-%d")


def type_frame(source: pl.DataFrame, truth: pl.DataFrame, source_type: str) -> pl.DataFrame:
    """The department's file of `source_type` for the generated rows."""
    person = pl.coalesce(pl.col("person_id"), -pl.col("row_no"))
    row = pl.col("row_no")
    data = source.join(truth.select("row_no", "person_id"), on="row_no")
    who = [pl.col("name").alias("姓名"), pl.col("id_number").alias("证件号码"), pl.col("sex").alias("性别"),
           pl.col("birth_date").alias("出生日期")]  # fmt: skip
    phone = pl.col("phone").alias("联系电话")
    home = pl.col("area_code").alias("户籍地区划代码")
    n = data.height
    if source_type == sources.SOCIAL:
        return data.select(
            *who, phone, pl.col("area_code").alias("参保地区划代码"),
            pl.lit("城乡居民养老保险").alias("险种"),
            pl.Series("参保状态", ["参保缴费", "暂停缴费", "领取待遇"] * (n // 3) + ["参保缴费"] * (n % 3)),
            pl.lit("202510").alias("最近缴费年月"),
        )  # fmt: skip
    if source_type == sources.EMPLOYMENT:
        employer = _draw(row, 1, 40_000)
        start = _draw(row, 2, 3_650) + 30
        left = _draw(row, 3, 10) < 3
        county = pl.col("area_code").str.slice(0, 6)
        where = _draw(row, 4, 10)
        work = (
            pl.when(where < 5).then(county)
            .when(where < 8).then(pl.lit("4301") + (_draw(row, 5, 9) + 1).cast(pl.String).str.zfill(2))
            .otherwise(pl.lit("440305"))
        )  # fmt: skip
        number = employer.cast(pl.String)
        return data.select(
            *who, phone,
            (pl.lit("湖南") + number.str.zfill(5) + pl.lit("号实业有限公司")).alias("单位名称"),
            (pl.lit("91430100") + number.str.zfill(9) + pl.lit("X")).alias("统一社会信用代码"),
            work.alias("工作地区划代码"),
            _date(start).alias("入职日期"),
            pl.when(left).then(_date(start - 1 - _draw(row, 6, 29))).alias("离职日期"),
            (2_000 + _draw(row, 7, 100) * 100).alias("月工资"),
        )  # fmt: skip
    if source_type == sources.DEATH:
        return data.select(*who, home, _date(_draw(person, 1, 1_000) + 1).alias("死亡日期"))
    if source_type == sources.CIVIL:
        start = _draw(person, 2, 2_000)
        ended = _draw(person, 3, 10) < 2
        return data.select(
            *who, phone, home,
            pl.when(_draw(person, 1, 10) < 8).then(pl.lit("低保")).otherwise(pl.lit("特困"))
            .alias("救助类型"),
            _date(start).alias("开始日期"),
            pl.when(ended).then(_date(start // 2)).alias("终止日期"),
        )  # fmt: skip
    if source_type == sources.DISABILITY:
        categories, grades = pl.Series(sources.DISABILITY_CATEGORIES), pl.Series(sources.DISABILITY_GRADES)
        return data.select(
            *who, phone, home,
            _draw(person, 1, len(categories)).replace_strict(dict(enumerate(categories))).alias("残疾类别"),
            _draw(person, 2, len(grades)).replace_strict(dict(enumerate(grades))).alias("残疾等级"),
        )  # fmt: skip
    return data.select(
        *who, phone,
        (TODAY.year - _draw(person, 1, 2)).alias("参保年度"),
        pl.when(_draw(person, 2, 10) < 9).then(pl.lit("参保")).otherwise(pl.lit("未参保")).alias("参保状态"),
    )  # fmt: skip


def write(
    out: Path, n_registry: int, n_source: int, seed: int, damaged: float, types=(sources.SOCIAL,)
) -> None:
    started = time.perf_counter()
    data = generate(n_registry, n_source, seed=seed, damage=Damage(id_damaged=damaged))
    out.mkdir(parents=True, exist_ok=True)
    data.registry.write_parquet(out / "registry.parquet")
    for source_type in types:
        type_frame(data.source, data.truth, source_type).write_csv(source_file(out, source_type))
    data.truth.write_parquet(out / "truth.parquet")
    print(
        f"{data.registry.height} registry people, {data.source.height} source rows ({', '.join(types)}) "
        f"written to {out} in {time.perf_counter() - started:.1f} s"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registry", type=int, required=True, help="registry people")
    parser.add_argument("--source", type=int, required=True, help="rows of the department file")
    parser.add_argument("--out", required=True, help="directory to write")
    parser.add_argument("--damaged", type=float, default=0.03, help="share of source rows with a damaged ID")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--types", nargs="+", choices=TYPES, default=[sources.SOCIAL])
    args = parser.parse_args(argv)
    write(Path(args.out), args.registry, args.source, args.seed, args.damaged, args.types)
    return 0


if __name__ == "__main__":
    sys.exit(main())
