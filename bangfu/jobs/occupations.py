"""The occupational classification (职业分类大典 2022 draft) and inferring a job's code from its title.

Plain Python: reads the shipped CSV, no Django. `OccupationIndex.infer(title)` first looks for a common
job title in SYNONYMS (普工, 保洁, 叉车司机 …, which the classification names differently), then compares
character 1–3-grams of the title with the names of the leaf occupations (TF-IDF, cosine similarity).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

DATA_FILE = Path(__file__).parent / "data" / "occupations_2022_draft.csv"
CODE_PATTERN = re.compile(r"^\d(-\d{2}){0,3}$")

# Common job titles (as written on postings) → leaf code. Longer keys win over shorter ones they contain.
SYNONYMS: dict[str, str] = {
    "保洁": "4-09-08-01",
    "清洁": "4-09-08-01",
    "清洁工": "4-09-08-01",
    "环卫": "4-09-08-01",
    "保安": "4-07-05-01",
    "门卫": "4-07-05-01",
    "安检": "4-07-05-02",
    "缝纫": "6-05-01-03",
    "车缝": "6-05-01-03",
    "平车": "6-05-01-03",
    "衣车": "6-05-01-03",
    "制衣": "6-05-01-03",
    "裁床": "6-05-01-02",
    "裁剪": "6-05-01-02",
    "快递": "4-02-07-08",
    "派件": "4-02-07-08",
    "揽收": "4-02-07-08",
    "分拣": "4-02-07-09",
    "骑手": "4-10-08-01",
    "外卖": "4-10-08-01",
    "送餐": "4-10-08-01",
    "配送员": "4-10-08-01",
    "厨师": "4-03-02-01",
    "厨工": "4-03-02-01",
    "炒锅": "4-03-02-01",
    "帮厨": "4-03-02-01",
    "面点": "4-03-02-02",
    "服务员": "4-03-02-05",
    "传菜": "4-03-02-05",
    "洗碗": "4-03-02-05",
    "客房": "4-03-01-02",
    "电工": "6-31-01-03",
    "水电工": "6-31-01-03",
    "焊工": "6-18-02-04",
    "电焊": "6-18-02-04",
    "气焊": "6-18-02-04",
    "氩弧焊": "6-18-02-04",
    "电子装配": "6-25-04-07",
    "插件": "6-25-04-07",
    "贴片": "6-25-04-07",
    "叉车": "6-30-05-01",
    "行车": "6-30-05-01",
    "月嫂": "4-10-01-06",
    "育婴": "4-10-01-03",
    "保姆": "4-10-01-06",
    "家政": "4-10-01-06",
    "钟点工": "4-10-01-06",
    "护工": "4-10-01-05",
    "养老护理": "4-10-01-05",
    "搬运": "4-02-05-01",
    "装卸": "4-02-05-01",
    "货车司机": "4-02-02-02",
    "货运司机": "4-02-02-02",
    "客车司机": "4-02-02-01",
    "大巴司机": "4-02-02-01",
    "泥工": "6-29-01-01",
    "水泥工": "6-29-01-03",
    "塔吊": "6-30-05-01",
    "挖掘机": "6-30-05-05",
    "车位": "6-05-01-03",
    "销售": "4-01-02-01",
    "瓦工": "6-29-01-01",
    "砌砖": "6-29-01-01",
    "建筑工": "6-29-01-01",
    "建筑小工": "6-29-01-01",
    "钢筋": "6-29-01-04",
    "木工": "6-06-03-01",
    "模板工": "6-29-01-03",
    "架子工": "6-29-01-05",
    "油漆": "6-29-04-01",
    "装修": "6-29-04-01",
    "防水": "6-29-02-08",
    "营业员": "4-01-02-03",
    "导购": "4-01-02-03",
    "店员": "4-01-02-03",
    "收银": "4-01-02-04",
    "包装": "6-31-05-00",
    "打包": "6-31-05-00",
    "质检": "6-31-03-05",
    "品检员": "6-31-03-05",
    "品管": "6-31-03-05",
    "仓管": "4-02-06-01",
    "仓库": "4-02-06-01",
    "理货": "4-02-06-02",
    "绿化": "4-09-10-01",
    "园林": "4-09-10-01",
    "采茶": "5-01-02-01",
    "茶叶": "6-02-06-10",
    "制茶": "6-02-06-10",
    "种植": "5-01-02-01",
    "养殖": "5-03-99",
    "注塑": "6-14-02-00",
    "吹塑": "6-14-02-00",
    "刺绣": "6-09-03-11",
    "苗绣": "6-09-03-11",
    "竹编": "5-05-06-05",
    "汽修": "4-12-01-01",
    "汽车维修": "4-12-01-01",
    "机修": "6-31-01-02",
    "物业": "4-06-99",
    "美发": "4-10-03-02",
    "美容": "4-10-03-01",
}

# Titles that say little: used only when the names are not clearly alike (注塑机操作工 is 注塑, not 普工).
# Checked in this order.
GENERIC: tuple[tuple[str, str], ...] = (
    ("电子厂", "6-25-04-07"),
    ("电子", "6-25-04-07"),
    ("装配", "6-20-01-01"),
    ("组装", "6-20-01-01"),
    ("普工", "6-99-00"),
    ("操作工", "6-99-00"),
    ("生产工", "6-99-00"),
    ("流水线", "6-99-00"),
    ("作业员", "6-99-00"),
    ("杂工", "8-00-00-00"),
    ("司机", "4-02-02-02"),
)
# Above this cosine similarity the names decide before the generic titles do.
SIMILAR_ENOUGH = 0.5

# Words on postings that say nothing about the occupation.
NOISE = re.compile(
    r"急招|诚聘|高薪|招聘|招|长期|短期|临时|若干|名|男女不限|男工|女工|限男|限女|包吃住|包住|包吃|"
    r"[（(【\[].*?[）)】\]]|\d+|[A-Za-z]+|岗位|人员"
)


@dataclass(frozen=True)
class OccupationRow:
    code: str
    name: str
    level: int
    parent_code: str


@dataclass(frozen=True)
class Inference:
    code: str
    name: str
    confidence: float
    """0–1: 1 for an exact name, 0.9 for a synonym, else the cosine similarity of the title's n-grams."""
    how: str
    """"名称", "同义词" or "相似度"."""


def read_rows(path: Path = DATA_FILE) -> list[OccupationRow]:
    with open(path, encoding="utf-8", newline="") as handle:
        return [
            OccupationRow(row["code"], row["name"], int(row["level"]), row["parent_code"])
            for row in csv.DictReader(handle)
        ]


def leaf_codes(rows: list[OccupationRow]) -> set[str]:
    """细类 codes, and the 小类 "其他…" that have no 细类 under them: the codes a job may carry."""
    parents = {row.parent_code for row in rows}
    return {row.code for row in rows if row.code not in parents and row.level >= 3}


def clean_title(title: str) -> str:
    text = unicodedata.normalize("NFKC", title or "").strip()
    return NOISE.sub("", text).strip(" -/、,，.。:：")


def _grams(text: str) -> list[str]:
    out = []
    for n in (1, 2, 3):
        out.extend(text[i : i + n] for i in range(len(text) - n + 1))
    return out


class OccupationIndex:
    """TF-IDF over character 1–3-grams of the leaf occupations' names, plus the synonyms table."""

    def __init__(self, rows: list[OccupationRow]):
        self.by_code = {row.code: row for row in rows}
        self.by_name = {row.name: row.code for row in sorted(rows, key=lambda row: row.level)}  # deepest
        leaves = sorted(leaf_codes(rows))
        self.codes = leaves
        self.names = [self.by_code[code].name for code in leaves]
        self.exact = {name: code for code, name in zip(leaves, self.names, strict=True)}
        vocabulary: dict[str, int] = {}
        docs = []
        for name in self.names:
            grams = _grams(name)
            docs.append(grams)
            for gram in grams:
                vocabulary.setdefault(gram, len(vocabulary))
        self.vocabulary = vocabulary
        counts = np.zeros((len(docs), len(vocabulary)), dtype=np.float32)
        for row, grams in enumerate(docs):
            for gram in grams:
                counts[row, vocabulary[gram]] += 1
        df = (counts > 0).sum(axis=0)
        self.idf = (np.log((1 + len(docs)) / (1 + df)) + 1).astype(np.float32)
        matrix = counts * self.idf
        matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
        self.matrix = matrix
        # The same weights by gram (a row per gram): a title's few grams pick a few rows, so scoring one
        # title is a small product instead of one over the whole vocabulary (6–27 ms → well under 1 ms).
        self.by_gram = np.ascontiguousarray(matrix.T)
        self.synonyms = sorted(SYNONYMS.items(), key=lambda item: -len(item[0]))
        missing = [code for _, code in (*self.synonyms, *GENERIC) if code not in self.by_code]
        if missing:
            raise ValueError(f"synonyms point to unknown codes: {missing}")

    def vector(self, text: str) -> np.ndarray:
        vec = np.zeros(len(self.vocabulary), dtype=np.float32)
        for gram in _grams(text):
            index = self.vocabulary.get(gram)
            if index is not None:
                vec[index] += 1
        vec *= self.idf
        norm = np.linalg.norm(vec)
        return vec / norm if norm else vec

    def scores(self, text: str) -> np.ndarray:
        """Cosine similarity of `text` with every leaf name (what `matrix @ vector(text)` gives), from the
        rows of the text's own grams only."""
        counts: dict[int, int] = {}
        for gram in _grams(text):
            index = self.vocabulary.get(gram)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        if not counts:
            return np.zeros(len(self.codes), dtype=np.float32)
        rows = np.fromiter(counts, dtype=np.int64, count=len(counts))
        weights = np.fromiter(counts.values(), dtype=np.float32, count=len(counts)) * self.idf[rows]
        norm = np.linalg.norm(weights)
        return (weights / norm) @ self.by_gram[rows]

    def _result(self, code: str, confidence: float, how: str) -> Inference:
        return Inference(code, self.by_code[code].name, round(float(confidence), 3), how)

    def infer(self, title: str) -> Inference | None:
        """The most likely leaf occupation for a free-text job title, or None when nothing is alike."""
        raw = unicodedata.normalize("NFKC", title or "").strip()
        text = clean_title(raw) or raw
        if not text:
            return None
        if text in self.exact:
            return self._result(self.exact[text], 1.0, "名称")
        for key, code in self.synonyms:
            if key in text:
                return self._result(code, 0.9, "同义词")
        scores = self.scores(text)
        best = int(np.argmax(scores))
        if scores[best] >= SIMILAR_ENOUGH:
            return self._result(self.codes[best], scores[best], "相似度")
        for key, code in GENERIC:
            if key in raw:
                return self._result(code, 0.6, "同义词")
        if scores[best] <= 0:
            return None
        return self._result(self.codes[best], scores[best], "相似度")

    def similar(self, title: str, top: int = 5) -> list[Inference]:
        """The `top` most similar leaf occupations, for a picker."""
        text = clean_title(title) or title
        scores = self.scores(text)
        order = np.argsort(-scores)[:top]
        return [self._result(self.codes[i], scores[i], "相似度") for i in order if scores[i] > 0]

    def read_wish(self, text: str) -> Wish:
        """A 就业意向 cell (EXCHANGE.md §1: an occupation name or code of the classification, or free text;
        several wishes may share a cell, e.g. "4-01-03-04、焊工"). A code of any level (4-01-03-04, the 小类
        4-01-03, the 中类 4-01, a 大类 written alone) or the exact name of any node is taken as that node;
        other pieces are read as titles (`infer`). At most `WISHES` occupations, in the order written."""
        raw = unicodedata.normalize("NFKC", text or "").strip()
        if raw in self.by_name:  # a name that itself holds a separator (农、林、牧、渔业生产及辅助人员)
            return Wish((self.by_name[raw],), raw)
        codes: list[str] = []
        words: list[str] = []
        for piece in WISH_SEPARATORS.split(raw):
            piece = piece.strip()
            if not piece:
                continue
            whole = _code(piece)
            if whole in self.by_code:
                codes.append(whole)
                continue
            found = [c for c in map(_code, CODE_IN_TEXT.findall(piece)) if c in self.by_code]
            rest = CODE_IN_TEXT.sub(" ", piece).strip(" -()")
            codes.extend(found)
            if rest:
                words.append(rest)
                if not found:
                    guess = self.by_name.get(rest) or getattr(self.infer(rest), "code", None)
                    if guess is not None:
                        codes.append(guess)
        return Wish(tuple(dict.fromkeys(codes))[:WISHES], " ".join(words))


# Pieces of a 就业意向 cell: wishes are listed with these between them.
WISH_SEPARATORS = re.compile(r"[、，,；;/|或\s]*[、，,；;/|或][、，,；;/|或\s]*|\s{2,}|\n")
# A code of two to four segments inside a piece ("焊工(6-18-02-04)"), not part of a longer number; dashes
# of any kind. A one-digit 大类 counts only written alone (else "做3年" would be 大类 3).
CODE_IN_TEXT = re.compile(r"(?<![\d-])\d(?:\s*[-‐‑–—]\s*\d{2}){1,3}(?![\d-])")
WISHES = 3


def _code(text: str) -> str:
    return re.sub(r"\s*[-‐‑–—]\s*", "-", text.strip())


@dataclass(frozen=True)
class Wish:
    codes: tuple[str, ...]
    """The wished occupations' codes (any level of the classification), at most `WISHES`."""
    text: str
    """What was written besides codes, for text similarity ("" for a cell of codes only)."""


@cache
def default_index() -> OccupationIndex:
    return OccupationIndex(read_rows())


def infer_occupation(title: str) -> Inference | None:
    return default_index().infer(title)
