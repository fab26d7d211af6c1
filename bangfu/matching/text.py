"""Offline text similarity for matching: TF-IDF over character 1- and 2-grams, cosine between short texts.

Plain Python and numpy. Job wishes, skills and job titles are short phrases drawn from a small working
vocabulary (普工, 电子厂, 焊工, 保洁 …), so similarities are computed once between the *distinct* texts of
each side, never per pair.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from functools import cache

import numpy as np

_NOISE = re.compile(r"[\s,，、;；/.。:：()（）\-_]+")
# Words that appear in almost every wish or title and say nothing about the kind of work.
_STOP = ("工作", "岗位", "招聘", "若干", "不限", "都可以", "均可", "无")


def normalize(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "").strip().lower()
    for word in _STOP:
        text = text.replace(word, " ")
    return _NOISE.sub(" ", text).strip()


def grams(text: str) -> list[str]:
    """Characters and character pairs of each space-separated piece."""
    out: list[str] = []
    for piece in text.split():
        out.extend(piece)
        out.extend(piece[i : i + 2] for i in range(len(piece) - 1))
    return out


def encode_texts(texts: Sequence[str | None]) -> tuple[np.ndarray, list[str]]:
    """Distinct normalized texts: (index of each input into `distinct`, -1 for empty; `distinct`)."""
    seen: dict[str, int] = {}
    codes = np.full(len(texts), -1, dtype=np.int32)
    for i, text in enumerate(texts):
        key = normalize(text)
        if key:
            codes[i] = seen.setdefault(key, len(seen))
    return codes, list(seen)


@cache
def _reference() -> tuple[dict[str, int], int]:
    """Document frequencies of grams over the names of the occupational classification (shipped CSV)."""
    from bangfu.jobs.occupations import read_rows

    names = [row.name for row in read_rows()]
    df: dict[str, int] = {}
    for name in names:
        for gram in set(grams(normalize(name))):
            df[gram] = df.get(gram, 0) + 1
    return df, len(names)


def reference_idf(gram: str) -> float:
    """IDF from a fixed reference, so that a pair's similarity does not depend on which other texts are
    in the same run: a character found in many occupation names (工, 员, 人) weighs little."""
    df, count = _reference()
    return math.log((1 + count) / (1 + df.get(gram, 0))) + 1


def similarity(left: Sequence[str], right: Sequence[str], *, chunk: int = 2048) -> np.ndarray:
    """Cosine similarity (float32, 0–1) of every text in `left` with every text in `right`.

    Grams are weighted by `reference_idf`.
    Empty inputs give an all-zero row or column.
    """
    vocabulary: dict[str, int] = {}
    docs = [grams(normalize(text)) for text in (*left, *right)]
    for doc in docs:
        for gram in doc:
            vocabulary.setdefault(gram, len(vocabulary))
    if not vocabulary or not left or not right:
        return np.zeros((len(left), len(right)), dtype=np.float32)
    rows, cols = [], []
    for row, doc in enumerate(docs):
        for gram in doc:
            rows.append(row)
            cols.append(vocabulary[gram])
    flat = np.asarray(rows, dtype=np.int64) * len(vocabulary) + np.asarray(cols, dtype=np.int64)
    counts = np.bincount(flat, minlength=len(docs) * len(vocabulary)).astype(np.float32)
    counts = counts.reshape(len(docs), len(vocabulary))
    idf = np.array([reference_idf(gram) for gram in vocabulary], dtype=np.float32)
    matrix = counts * idf
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    np.divide(matrix, norms, out=matrix, where=norms > 0)
    a, b = matrix[: len(left)], matrix[len(left) :]
    out = np.empty((len(left), len(right)), dtype=np.float32)
    for start in range(0, len(left), chunk):
        np.matmul(a[start : start + chunk], b.T, out=out[start : start + chunk])
    np.clip(out, 0.0, 1.0, out=out)
    return out
