"""Benchmark: person–job matching (issue 5) — 1,000,000 laborers × 100,000 jobs, top 10 for everyone.

Run: .venv/bin/python bench/match.py [--laborers 1000000] [--jobs 100000] [--recall 2000]
     .venv/bin/python bench/match.py --command   # `bangfu match` over the demo's county 花垣县

Goal: ≤ 60 s and ≤ 8 GB peak, zero hard-limit violations. The engine is timed on generated arrays
(bench/match_data.py): text similarity tables, candidate lists, exact scores, capacity pass — not
generating the data, not encoding it, not reading a database, not writing the file. Every returned pair
is then checked against the raw generated columns (strings and dates, not the engine's encoding) by
`check`, written separately from the engine, and the violations are counted per limit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

EDUCATION_ORDER = {"文盲或半文盲": 0, "小学": 1, "初中": 2, "高中": 3, "中专": 4, "大专": 5, "本科及以上": 6}


def check(laborers: dict, jobs: dict, lab: np.ndarray, job: np.ndarray, on: dt.date, top: int, cap=None):
    """Count returned pairs that break each hard limit, from the raw columns. Independent of the engine."""
    birth = laborers["birth"][lab].astype("M8[D]")
    years = birth.astype("M8[Y]").astype(int) + 1970
    month_day = (birth - birth.astype("M8[Y]")).astype(int)  # day of year of birth
    on_np = np.datetime64(on)
    on_day = int((on_np - on_np.astype("M8[Y]")).astype(int))
    # Age by calendar: has the birthday come this year? Compare (month, day) through real dates.
    birth_dates = birth.astype(object)
    had_birthday = np.array([(on.month, on.day) >= (d.month, d.day) for d in birth_dates], dtype=bool)
    del month_day, on_day
    age = on.year - years - (~had_birthday).astype(int)
    age_min, age_max = jobs["age_min"][job], jobs["age_max"][job]
    sex_required = jobs["sex_required"][job]
    skill, health = laborers["labor_skill"][lab], laborers["health"][lab]
    restricted = np.isin(health, ["患有大病", "残疾"]) | (skill == "弱劳动力或半劳动力")
    education = np.array([EDUCATION_ORDER.get(v, -1) for v in laborers["education"][lab].tolist()])
    minimum = np.array([EDUCATION_ORDER.get(v, -1) for v in jobs["education_min"][job].tolist()])
    region = laborers["desired_region"][lab]
    home, work = laborers["area"][lab], jobs["area"][job]
    deadline = jobs["deadline"][job]
    violations = {
        "年龄": int((((age_min >= 0) & (age < age_min)) | ((age_max >= 0) & (age > age_max))).sum()),
        "性别": int(((sex_required != "") & (sex_required != laborers["sex"][lab])).sum()),
        "劳动能力与健康": int(
            (
                np.isin(skill, ["丧失劳动力", "无劳动力", ""]) | (restricted & ~jobs["suits_low_skill"][job])
            ).sum()
        ),
        "学历": int(((minimum >= 0) & (education < minimum)).sum()),
        "意向务工地": int(
            (
                ((region == "县内") & (home.astype("U6") != work.astype("U6")))
                | ((region == "省内") & (home.astype("U2") != work.astype("U2")))
            ).sum()
        ),
        "截止日期": int((~np.isnat(deadline) & (deadline < np.datetime64(on))).sum()),
        "已结束": int((jobs["status"][job] != "open").sum()),
        "无剩余名额": int((jobs["openings_left"][job] <= 0).sum()),
    }
    per_laborer = np.bincount(lab)
    violations["超过前N"] = int((per_laborer > top).sum())
    if cap is not None:
        per_job = np.bincount(job, minlength=len(jobs["id"]))
        violations["超过岗位推送上限"] = int((per_job > cap).sum())
    repeated = len(lab) - len(np.unique(lab.astype(np.int64) * (1 << 32) + job))
    violations["重复"] = int(repeated)
    return violations


class PeakMemory:
    """Peak resident memory of this process (ru_maxrss) and a sampled current RSS during a phase."""

    def __init__(self):
        self.peak = 0
        self._stop = threading.Event()

    def _rss(self):
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def __enter__(self):
        self.start = self._rss()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self._rss())
            time.sleep(0.05)

    def __exit__(self, *exc):
        self._stop.set()
        self.thread.join()
        self.peak = max(self.peak, self._rss())


def gb(n):
    return f"{n / 2**30:.2f} GB"


def scale(args):
    from match_data import encode, generate

    from bangfu.matching.engine import Matcher, Settings, cap_of

    on = dt.date.today()
    print(f"机器：{platform.node()} {os.cpu_count()} 核；负载 {os.getloadavg()}；日期 {on}")
    t = time.perf_counter()
    laborers, jobs = generate(args.laborers, args.jobs, on, seed=args.seed)
    print(f"生成 {args.laborers} 名劳动力、{args.jobs} 个岗位：{time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    L, J = encode(laborers, jobs)
    print(f"编码为引擎数组：{time.perf_counter() - t:.1f} s")
    settings = Settings(threads=args.threads, pool=args.pool, refill=not args.no_refill)
    with PeakMemory() as memory:
        t = time.perf_counter()
        matcher = Matcher(L, J, on, settings)
        built = time.perf_counter() - t
        result = matcher.run()
        elapsed = time.perf_counter() - t
    maxrss = gb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
    print(
        f"引擎：{elapsed:.1f} s（其中文本相似度表 {built:.1f} s）；进程内存峰值 {gb(memory.peak)}"
        f"（开始时 {gb(memory.start)}）；ru_maxrss {maxrss}；负载 {os.getloadavg()}"
    )
    print("统计：", {k: round(v, 2) if isinstance(v, float) else v for k, v in result.stats.items()})
    counts = np.bincount(result.laborer, minlength=len(L))
    print(
        f"结果：{len(result)} 对；有推荐的劳动力 {np.count_nonzero(counts)}，满 {settings.top} 个的 "
        f"{np.count_nonzero(counts >= settings.top)}；平均得分 {result.score.mean():.1f}"
    )
    cap = np.array([cap_of(int(o), settings) for o in J.openings_left])
    t = time.perf_counter()
    violations = check(laborers, jobs, result.laborer, result.job, on, settings.top, cap)
    took = time.perf_counter() - t
    print(f"独立核查（{took:.1f} s）：违反硬性条件 {sum(violations.values())} 对：{violations}")
    if args.recall:
        recall(matcher, L, args.recall, settings)


def recall(matcher, L, sample, settings):
    """How close the candidate lists come to an exhaustive search: for a random sample of laborers,
    the share of their exact top 10 over all jobs (no capacity cap) that the area run also finds
    before its capacity pass."""
    from dataclasses import replace

    from bangfu.matching.engine import Matcher

    rng = np.random.default_rng(3)
    who = np.sort(rng.choice(len(L), size=min(sample, len(L)), replace=False))
    no_cap = Matcher.__new__(Matcher)
    no_cap.__dict__.update(matcher.__dict__)
    no_cap.settings = replace(settings, capacity=False)
    t = time.perf_counter()
    result = no_cap.run()
    print(f"不限名额重跑：{time.perf_counter() - t:.1f} s")
    found = hit = 0
    for index in who:
        exact = matcher.for_laborer(int(index), top=settings.top)
        if not len(exact):
            continue
        mine = result.laborer == index
        tenth = exact.score[-1]  # a job scoring as much as the exact 10th counts as found (ties)
        exact_jobs = set(exact.job.tolist())
        good = [
            j in exact_jobs or sc >= tenth - 1e-3
            for j, sc in zip(result.job[mine], result.score[mine], strict=True)
        ]
        found += len(exact)
        hit += min(sum(good), len(exact))
    share = hit / max(found, 1)
    print(f"抽样 {len(who)} 人：区域运行（不限名额）找到了精确前 {settings.top} 名中的 {share:.2%}")


def designed(args):
    """The quality check on a larger designed world (bangfu/matching/tests/designed.py): every returned
    pair checked against the designed values, and the share of laborers whose designed job is in their
    top 5."""
    from bangfu.matching.engine import Matcher, Settings
    from bangfu.matching.tests.designed import build, encode, synthetic_homes, violates

    on = dt.date.today()
    laborers, jobs = build(args.designed, on=on, background=args.designed, homes=synthetic_homes(199))
    L, J = encode(laborers, jobs)
    t = time.perf_counter()
    result = Matcher(L, J, on, Settings(threads=args.threads, pool=args.pool)).run()
    print(f"设计数据：{len(laborers)} 名劳动力、{len(jobs)} 个岗位；引擎 {time.perf_counter() - t:.1f} s")
    pairs = list(zip(result.laborer.tolist(), result.job.tolist(), result.rank.tolist(), strict=True))
    bad = sum(1 for i, j, _ in pairs if violates(laborers[i], jobs[j], on))
    best = {j.designed_for: j.key for j in jobs if j.designed_for is not None}
    top5 = sum(1 for i, j, rank in pairs if best[i] == j and rank <= 5)
    print(f"违反硬性条件 {bad} 对；设计的最佳岗位在前 5 名的劳动力 {top5 / len(laborers):.2%}")


def command(args):
    """`bangfu match` over a demo-size area, on the demo database (`bangfu demo` must have run)."""
    bangfu = str(Path(sys.executable).with_name("bangfu"))
    env = dict(os.environ)
    env.setdefault("BANGFU_DATA_DIR", str(HERE.parent / "data" / "demo"))
    with tempfile.TemporaryDirectory() as tmp:
        for suffix in ("csv", "xlsx"):
            out = Path(tmp) / f"match.{suffix}"
            t = time.perf_counter()
            done = subprocess.run(
                [bangfu, "match", "--area", args.area, "--out", str(out)],
                env=env,
                capture_output=True,
                text=True,
            )
            print(
                f"bangfu match --area {args.area} --out {out.name}: {time.perf_counter() - t:.1f} s, "
                f"exit {done.returncode}; {done.stdout.strip()} {done.stderr.strip()[-300:]}"
            )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--laborers", type=int, default=1_000_000)
    parser.add_argument("--jobs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--pool", type=int, default=0, help="候选列表长度；0 为按人数自动")
    parser.add_argument("--no-refill", action="store_true", help="不做二次匹配（无岗位者再匹配有余量的岗位）")
    parser.add_argument("--recall", type=int, default=0, help="抽样人数：与穷举结果比较")
    parser.add_argument("--designed", type=int, default=0, help="设计数据的劳动力人数（质量检查）")
    parser.add_argument("--command", action="store_true", help="改为测 bangfu match（演示库）")
    parser.add_argument("--area", default="433124")
    args = parser.parse_args()
    if args.command:
        command(args)
    elif args.designed:
        designed(args)
    else:
        scale(args)


if __name__ == "__main__":
    main()
