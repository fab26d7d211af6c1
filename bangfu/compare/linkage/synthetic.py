"""Synthetic registry and department file with known truth, for the linkage tests and `bench/compare.py`.

Vectorised (numpy + polars) so that 4 million people and a 5 million-row file take about a minute.
Names come from the demo generator's tables (`bangfu.demo.people`): 湘西 surnames by ethnicity and
given names by sex and birth cohort. Registry IDs are valid, on real village codes.

The department file holds, per row: a registry person (each at most twice — a second record of the
same person is common in employment and insurance files) or someone outside the registry (some of them
relatives of a registry person: same surname, village and household phone). Rows of registry people are
damaged independently, at the rates in `Damage`:
- ID number (the "damaged rows"): empty; one digit mistyped; two adjacent digits swapped; destroyed by
  Excel (4.33124199001011E+17 or a trailing 000); a relative's valid number; a mistyped number whose
  check digit someone "fixed" (valid, but points at nobody).
- harmless ID forms the exact step must still read: 15-digit old numbers, lower-case x, full-width
  digits, a leading apostrophe.
- name: a homophone (张伟 → 张维), traditional characters (陈 → 陳), a different character.
- birth date and sex missing, birth date mistyped; phone changed or missing; moved to another village;
  area given only to township or county.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from bangfu.core.idnumber import check_char
from bangfu.demo.people import _ETHNICITIES, _GIVEN_NAMES, _OTHER_SURNAME_TABLE, _SURNAMES

from .pinyin import char_pinyin

__all__ = ["Damage", "SyntheticData", "generate", "hunan_villages"]

_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_CHECK = np.array(list("10X98765432"))
_EPOCH = dt.date(1970, 1, 1)

# Simplified → traditional for the characters of the name tables that have a traditional form.
TRADITIONAL = dict(
    zip(
        "张刘陈杨黄吴罗龙欧时贾谭鲁龚卢邓蒋颜单马赵盘长树贵华兴发顺兰银满凤莲国红卫军晓云强东杰刚辉伟涛丽艳"
        "爱琼鹏飞凯梦静铭轩鸣泽阳诗语诺瑶苗宁广万岁叶闫齐亚门义乔乌书乐乡买亲亿仅从仑仓仪众优伞伦伤伪伫"
        "养兽冯决况冻净准凉减凑凛击务动劳势勋区医华协单卖卢卤卧卫却厂厅历厉压厌厕厢厦厨县参双发变叠叶号"
        "叹吓吕吗启员呜周咏哑响哗唤啬啸喷嘱团园围图圆坚坛坝坟坠垄垒垦垫埘墙壮声壳处备复够头夹夺奋奖妆妇"
        "妈娄娅娇娱婴婶媪孙学宁宝实宠审宪宫宽宾寝对寻导寿将尔尘尝层属岁岂岗岛岭岳峡币帅师帐带帮库庙庞废"
        "开异弃张弥弯归当录彦彻径忆志忧怀态总恋恒恶悦惊惩惫惭惯愤愿懒戏战户执扩扫扬扰抚抛抢护报担拟拢拣",
        "張劉陳楊黃吳羅龍歐時賈譚魯龔盧鄧蔣顏單馬趙盤長樹貴華興發順蘭銀滿鳳蓮國紅衛軍曉雲強東傑剛輝偉濤麗豔"
        "愛瓊鵬飛凱夢靜銘軒鳴澤陽詩語諾瑤苗寧廣萬歲葉閆齊亞門義喬烏書樂鄉買親億僅從侖倉儀眾優傘倫傷偽佇"
        "養獸馮決況凍淨準涼減湊凜擊務動勞勢勳區醫華協單賣盧鹵臥衛卻廠廳歷厲壓厭廁廂廈廚縣參雙發變疊葉號"
        "嘆嚇呂嗎啟員嗚週詠啞響嘩喚嗇嘯噴囑團園圍圖圓堅壇壩墳墜壟壘墾墊塒牆壯聲殼處備複夠頭夾奪奮獎妝婦"
        "媽婁婭嬌娛嬰嬸媼孫學寧寶實寵審憲宮寬賓寢對尋導壽將爾塵嘗層屬歲豈崗島嶺嶽峽幣帥師帳帶幫庫廟龐廢"
        "開異棄張彌彎歸當錄彥徹徑憶誌憂懷態總戀恆惡悅驚懲憊慚慣憤願懶戲戰戶執擴掃揚擾撫拋搶護報擔擬攏揀",
        strict=True,
    )
)
# A pool of everyday characters (GB 2312 level 1) in which to look for homophones.
_POOL = [
    bytes([hi, lo]).decode("gb2312")
    for hi in range(0xB0, 0xD8)
    for lo in range(0xA1, 0xFF)
    if not (hi == 0xD7 and lo > 0xF9)
]


@dataclass(frozen=True)
class Damage:
    """Rates per source row of a registry person. The ID-damage rates add up to `id_damaged`."""

    id_damaged: float = 0.03
    id_old15: float = 0.01
    id_lower_x: float = 0.5  # of IDs ending in X
    id_full_width: float = 0.005
    id_quote: float = 0.005
    name_homophone: float = 0.02
    name_traditional: float = 0.02
    name_other_char: float = 0.003
    dob_missing: float = 0.03
    dob_typo: float = 0.005
    sex_missing: float = 0.03
    phone_changed: float = 0.15
    phone_missing: float = 0.25
    moved: float = 0.05
    area_township: float = 0.15
    area_county: float = 0.2
    outsiders: float = 0.06  # share of source rows for people outside the registry
    second_records: float = 0.18  # share of source rows that are a registered person's second record


# How damaged IDs are damaged (shares of `Damage.id_damaged`).
ID_DAMAGE_KINDS = {
    "empty": 0.33,
    "typo": 0.30,
    "swap": 0.10,
    "excel": 0.10,
    "relative": 0.10,
    "refixed": 0.07,
}


@dataclass
class SyntheticData:
    registry: pl.DataFrame  # person_id, id_number, name, sex, birth_date, phone, area_code
    source: pl.DataFrame  # row_no, id_number, name, sex, birth_date, phone, area_code
    truth: pl.DataFrame  # row_no, person_id (null for outsiders), id_damage (null or a kind), kind


def hunan_villages() -> list[str]:
    from bangfu.areas.dataset import iter_divisions

    return [d.code for d in iter_divisions("43") if d.level == 5]


def _check_chars(area6: np.ndarray, ymd: np.ndarray, seq: np.ndarray) -> np.ndarray:
    first17 = area6.astype(np.int64) * 10**11 + ymd.astype(np.int64) * 1000 + seq.astype(np.int64)
    digits = (first17[:, None] // (10 ** np.arange(16, -1, -1, dtype=np.int64))) % 10
    return _CHECK[(digits @ _WEIGHTS) % 11]


def _people(rng: np.random.Generator, n: int, villages: np.ndarray) -> pl.DataFrame:
    """n people: name, sex, birth_date, phone, village, id_number (may repeat; caller dedupes)."""
    ethnicity = np.array(_ETHNICITIES)[rng.integers(0, len(_ETHNICITIES), n)]
    surname = np.empty(n, dtype=object)
    for eth in np.unique(ethnicity):
        table = np.array(_SURNAMES.get(eth, _OTHER_SURNAME_TABLE))
        where = ethnicity == eth
        surname[where] = table[rng.integers(0, len(table), where.sum())]
    male = rng.random(n) < 0.5
    days = rng.integers((dt.date(1935, 1, 1) - _EPOCH).days, (dt.date(2010, 12, 31) - _EPOCH).days, n)
    birth = np.datetime64("1970-01-01") + days.astype("timedelta64[D]")
    year = birth.astype("datetime64[Y]").astype(int) + 1970
    cohort = np.select([year < 1960, year < 1985, year < 2005], [0, 1, 2], 3)
    given = np.empty(n, dtype=object)
    for is_male in (True, False):
        for c in range(4):
            firsts, seconds, singles, single_share = _GIVEN_NAMES[is_male, c]
            where = np.flatnonzero((male == is_male) & (cohort == c))
            f = np.array(list(firsts))[rng.integers(0, len(firsts), where.size)]
            s = np.array(list(seconds))[rng.integers(0, len(seconds), where.size)]
            one = np.array(list(singles))[rng.integers(0, len(singles), where.size)]
            two = np.char.add(f, s)
            given[where] = np.where(rng.random(where.size) < single_share, one, two)
    village = villages[rng.integers(0, len(villages), n)]
    has_phone = rng.random(n) < 0.8
    phone = np.where(
        has_phone,
        np.char.add(np.array(["13", "15", "18", "17"])[rng.integers(0, 4, n)],
                    np.char.zfill(rng.integers(0, 10**9, n).astype(str), 9)),
        None,
    )  # fmt: skip
    area6 = np.array([v[:6] for v in village.tolist()])
    ymd = (
        year * 10000
        + (birth.astype("datetime64[M]").astype(int) % 12 + 1) * 100
        + ((birth - birth.astype("datetime64[M]")).astype(int) + 1)
    )
    seq = rng.integers(0, 500, n) * 2 + male.astype(int)
    check = _check_chars(area6.astype(np.int64), ymd, seq)
    ids = np.char.add(
        np.char.add(np.char.add(area6, ymd.astype(str)), np.char.zfill(seq.astype(str), 3)), check
    )
    return pl.DataFrame(
        {
            "name": np.char.add(surname.astype(str), given.astype(str)),
            "surname": surname.astype(str),
            "sex": np.where(male, "男", "女"),
            "birth_date": birth,
            "phone": pl.Series(phone.tolist(), dtype=pl.String),
            "area_code": village,
            "id_number": ids,
        }
    )


def generate(
    n_registry: int, n_source: int, *, seed: int = 2026, damage: Damage | None = None,
    villages: list[str] | None = None,
) -> SyntheticData:  # fmt: skip
    damage = damage or Damage()
    rng = np.random.default_rng(seed)
    villages_arr = np.array(villages or hunan_villages())

    people = _people(rng, int(n_registry * 1.02) + 10, villages_arr).unique(
        "id_number", keep="first", maintain_order=True
    )
    people = people.head(n_registry)
    # Households of about 3.5: later members take the first member's surname, village and (often) phone.
    n = people.height
    head = np.maximum.accumulate(np.where(rng.random(n) < 1 / 3.5, np.arange(n), 0))
    family = pl.DataFrame({"head": head})
    heads = people.select(
        pl.col("surname").alias("h_surname"),
        pl.col("area_code").alias("h_area"),
        pl.col("phone").alias("h_phone"),
    )[head]
    share_phone = rng.random(n) < 0.3
    registry = pl.concat([people, heads, family], how="horizontal").with_columns(
        name=pl.col("h_surname") + pl.col("name").str.slice(pl.col("surname").str.len_chars()),
        area_code=pl.col("h_area"),
        phone=pl.when(pl.Series(share_phone)).then(pl.col("h_phone")).otherwise(pl.col("phone")),
    )
    # The ID's area follows the household's village.
    area6 = registry["area_code"].str.slice(0, 6)
    registry = registry.with_columns(
        id_number=area6 + pl.col("id_number").str.slice(6, 11),
    )
    fixed = _check_chars(
        registry["id_number"].str.slice(0, 6).cast(pl.Int64).to_numpy(),
        registry["id_number"].str.slice(6, 8).cast(pl.Int64).to_numpy(),
        registry["id_number"].str.slice(14, 3).cast(pl.Int64).to_numpy(),
    )
    registry = registry.with_columns(id_number=pl.col("id_number") + pl.Series(fixed))
    registry = (
        registry.with_columns(head_id=registry["id_number"][head])
        .unique("id_number", keep="first", maintain_order=True)
        .with_row_index("person_id", offset=1)
        .with_columns(pl.col("person_id").cast(pl.Int64))
    )
    n_reg = registry.height

    # Who is in the file.
    n_out = round(n_source * damage.outsiders)
    n_first = min(n_reg, round(n_source * (1 - damage.outsiders - damage.second_records)))
    n_second = n_source - n_out - n_first
    firsts = rng.permutation(n_reg)[:n_first]
    seconds = firsts[rng.integers(0, max(n_first, 1), n_second)] if n_first else np.zeros(0, dtype=np.int64)
    members = registry[np.concatenate([firsts, seconds])].select(
        "person_id", "id_number", "name", "sex", "birth_date", "phone", "area_code", "head_id"
    )
    kind = ["first"] * n_first + ["second"] * n_second

    # Outsiders: new people; 40 % are relatives of a registry person (same surname, village, phone).
    out = _people(rng, int(n_out * 1.05) + 10, villages_arr)
    out = (
        out.filter(~pl.col("id_number").is_in(registry["id_number"].implode()))
        .unique("id_number", keep="first", maintain_order=True)
        .head(n_out)
    )
    n_out = out.height
    rel = rng.random(n_out) < 0.4
    anchor = registry[rng.integers(0, n_reg, n_out)]
    out = out.with_columns(
        name=pl.when(pl.Series(rel))
        .then(anchor["name"].str.slice(0, 1) + pl.col("name").str.slice(pl.col("surname").str.len_chars()))
        .otherwise(pl.col("name")),
        area_code=pl.when(pl.Series(rel)).then(anchor["area_code"]).otherwise(pl.col("area_code")),
        phone=pl.when(pl.Series(rel)).then(anchor["phone"]).otherwise(pl.col("phone")),
    ).select(
        pl.lit(None, pl.Int64).alias("person_id"),
        "id_number",
        "name",
        "sex",
        "birth_date",
        "phone",
        "area_code",
        pl.col("id_number").alias("head_id"),
    )
    rows = pl.concat([members, out])
    kind += ["outsider"] * n_out
    order = rng.permutation(rows.height)
    rows = rows[order]
    kind_arr = np.array(kind)[order]
    total = rows.height

    in_reg = kind_arr != "outsider"
    ids = rows["id_number"].to_list()
    names = rows["name"].to_list()
    births = rows["birth_date"].to_list()
    sexes = rows["sex"].to_list()
    phones = rows["phone"].to_list()
    areas = rows["area_code"].to_list()
    id_damage: list[str | None] = [None] * total
    u = rng.random((total, 12))

    kinds = list(ID_DAMAGE_KINDS)
    cum = np.cumsum([ID_DAMAGE_KINDS[k] for k in kinds]) * damage.id_damaged
    heads_ids = rows["head_id"].to_list()
    registry_ids = registry["id_number"]
    for i in np.flatnonzero(in_reg):
        value = ids[i]
        r = u[i, 0]
        k = int(np.searchsorted(cum, r, side="right"))
        if k < len(kinds):
            what = kinds[k]
            id_damage[i] = what
            if what == "empty":
                ids[i] = "" if u[i, 1] < 0.7 else None
            elif what == "typo":
                pos = int(u[i, 1] * 17)
                digit = (int(value[pos]) + 1 + int(u[i, 2] * 9)) % 10
                ids[i] = value[:pos] + str(digit) + value[pos + 1 :]
            elif what == "swap":
                pos = int(u[i, 1] * 16)
                if value[pos] == value[pos + 1]:
                    pos = (pos + 5) % 16
                ids[i] = value[:pos] + value[pos + 1] + value[pos] + value[pos + 2 :]
            elif what == "excel":
                ids[i] = (
                    f"{int(value[:17]) / 10**16:.14f}"[:16].rstrip("0") + "E+17" if u[i, 1] < 0.5
                    else value[:15] + "000"
                )  # fmt: skip
            elif what == "relative":
                # The household head's number, or (for heads) someone else's.
                other = heads_ids[i]
                ids[i] = other if other != value else registry_ids[int(u[i, 1] * n_reg)]
            elif what == "refixed":
                pos = 14 + int(u[i, 1] * 3)
                digit = (int(value[pos]) + 1 + int(u[i, 2] * 9)) % 10
                first17 = value[:pos] + str(digit) + value[pos + 1 : 17]
                ids[i] = first17 + check_char(first17)
        else:
            r2 = u[i, 1]
            if r2 < damage.id_old15 and value[6:8] == "19":
                ids[i] = value[:6] + value[8:17]
            elif value.endswith("X") and r2 < damage.id_old15 + damage.id_lower_x:
                ids[i] = value[:17] + "x"
            elif r2 < damage.id_old15 + damage.id_full_width:
                ids[i] = value.translate({c: c + 0xFEE0 for c in range(0x30, 0x3A)})
            elif r2 < damage.id_old15 + damage.id_full_width + damage.id_quote:
                ids[i] = "'" + value

        # Name.
        r = u[i, 3]
        name = names[i]
        if r < damage.name_homophone:
            names[i] = _homophone(name, u[i, 4])
        elif r < damage.name_homophone + damage.name_traditional:
            names[i] = "".join(TRADITIONAL.get(c, c) for c in name)
        elif r < damage.name_homophone + damage.name_traditional + damage.name_other_char:
            pos = 1 + int(u[i, 4] * (len(name) - 1))
            names[i] = name[:pos] + _POOL[int(u[i, 5] * len(_POOL))] + name[pos + 1 :]
        # Birth date, sex.
        r = u[i, 6]
        if r < damage.dob_missing:
            births[i] = None
        elif r < damage.dob_missing + damage.dob_typo:
            births[i] = births[i] + dt.timedelta(days=int(1 + u[i, 7] * 20))
        if u[i, 7] < damage.sex_missing:
            sexes[i] = None
        # Phone.
        r = u[i, 8]
        if r < damage.phone_missing:
            phones[i] = None
        elif r < damage.phone_missing + damage.phone_changed or phones[i] is None:
            phones[i] = f"1{3 + int(u[i, 9] * 6)}{int(u[i, 10] * 10**9):09d}" if u[i, 9] < 0.5 else None
        # Area.
        r = u[i, 11]
        area = areas[i]
        if r < damage.moved:
            area = villages_arr[int(u[i, 10] * len(villages_arr))]
        if u[i, 5] < damage.area_county:
            area = area[:6]
        elif u[i, 5] < damage.area_county + damage.area_township:
            area = area[:9]
        areas[i] = area

    source = pl.DataFrame(
        {
            "row_no": np.arange(2, total + 2, dtype=np.int64),  # row 1 is the header
            "id_number": pl.Series(ids, dtype=pl.String),
            "name": pl.Series(names, dtype=pl.String),
            "sex": pl.Series(sexes, dtype=pl.String),
            "birth_date": pl.Series(births, dtype=pl.Date),
            "phone": pl.Series(phones, dtype=pl.String),
            "area_code": pl.Series(areas, dtype=pl.String),
        }
    )
    truth = pl.DataFrame(
        {
            "row_no": source["row_no"],
            "person_id": rows["person_id"],
            "id_damage": pl.Series(id_damage, dtype=pl.String),
            "kind": kind_arr,
        }
    )
    registry = registry.select("person_id", "id_number", "name", "sex", "birth_date", "phone", "area_code")
    return SyntheticData(registry=registry, source=source, truth=truth)


_HOMOPHONES: dict[str, list[str]] = {}


def _homophone(name: str, r: float) -> str:
    """Replace one given-name character by another with the same toneless pinyin."""
    if not _HOMOPHONES:
        by_py: dict[str, list[str]] = {}
        for c in _POOL:
            by_py.setdefault(char_pinyin(c), []).append(c)
        for c in _POOL:
            _HOMOPHONES[c] = [o for o in by_py[char_pinyin(c)] if o != c]
    positions = [p for p in range(1, len(name)) if _HOMOPHONES.get(name[p])]
    if not positions:
        return name
    pos = positions[int(r * len(positions)) % len(positions)]
    options = _HOMOPHONES[name[pos]]
    return name[:pos] + options[int(r * 7919) % len(options)] + name[pos + 1 :]
