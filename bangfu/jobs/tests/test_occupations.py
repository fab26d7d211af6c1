"""Inferring the 细类 code from real job titles as they appear on postings."""

import pytest

from bangfu.jobs.occupations import SYNONYMS, default_index, leaf_codes, read_rows

CASES = [
    ("保洁员", "4-09-08-01"),
    ("小区保安", "4-07-05-01"),
    ("服装厂缝纫工", "6-05-01-03"),
    ("服装车位", "6-05-01-03"),
    ("快递员", "4-02-07-08"),
    ("中餐厨师", "4-03-02-01"),
    ("酒店服务员", "4-03-02-05"),
    ("维修电工", "6-31-01-03"),
    ("二保焊工", "6-18-02-04"),
    ("叉车司机", "6-30-05-01"),
    ("月嫂", "4-10-01-06"),
    ("家政服务员", "4-10-01-06"),
    ("养老院护理员", "4-10-01-05"),
    ("砌筑工", "6-29-01-01"),
    ("钢筋工", "6-29-01-04"),
    ("注塑机操作工", "6-14-02-00"),
    ("食品厂质检", "6-31-03-05"),
    ("网约配送员", "4-10-08-01"),
    ("急招电子厂普工（包吃住）", "6-25-04-07"),
    ("鞋厂普工", "6-99-00"),
    ("茶叶加工", "6-02-06-10"),
    ("苗绣绣娘", "6-09-03-11"),
    ("大货车司机", "4-02-02-02"),
]


@pytest.mark.parametrize(("title", "code"), CASES)
def test_it_infers_real_titles(title, code):
    guess = default_index().infer(title)
    assert guess is not None and guess.code == code, (title, guess)
    assert 0 < guess.confidence <= 1


def test_an_exact_name_is_certain_and_similar_wording_is_less_so():
    index = default_index()
    assert index.infer("缝纫工").confidence == 1.0
    similar = index.infer("养老院护理员")
    assert similar.how == "相似度" and 0.5 <= similar.confidence < 1


def test_similar_offers_the_close_names_for_a_person_to_pick():
    codes = [guess.code for guess in default_index().similar("药品检验员", top=3)]
    assert "4-08-05-04" in codes  # 药物检验员


def test_nothing_alike_gives_none():
    assert default_index().infer("") is None
    assert default_index().infer("###") is None


def test_the_classification_is_complete_and_synonyms_point_to_leaves():
    rows = read_rows()
    levels = [row.level for row in rows]
    assert [levels.count(level) for level in (1, 2, 3, 4)] == [8, 79, 449, 1636]
    leaves = leaf_codes(rows)
    assert len(leaves) == 1636 + 68
    assert set(SYNONYMS.values()) <= leaves


def test_occupations_are_loaded_into_the_database(db):
    from bangfu.jobs.models import Occupation
    from bangfu.jobs.reference import load_occupations

    assert Occupation.objects.count() == 2172
    assert Occupation.objects.get(code="6-18-02-04").parent_id == "6-18-02"
    assert load_occupations() == 0  # idempotent


@pytest.mark.parametrize(
    "cell, codes, text",
    [
        ("4-01-03-04", ("4-01-03-04",), ""),
        ("4-01-03", ("4-01-03",), ""),  # a 小类: the group
        ("4-01", ("4-01",), ""),  # a 中类
        ("４－０１－０３－０４", ("4-01-03-04",), ""),  # full-width, as typed on some keyboards
        ("4—01—03—04", ("4-01-03-04",), ""),
        ("焊工、4-09-08-01", ("6-18-02-04", "4-09-08-01"), "焊工"),
        ("保洁或保安", ("4-09-08-01", "4-07-05-01"), "保洁 保安"),
        ("焊工(6-18-02-04)", ("6-18-02-04",), "焊工"),
        ("做3年焊工", ("6-18-02-04",), "做3年焊工"),  # a lone digit in a sentence is no 大类
        ("农、林、牧、渔业生产及辅助人员", ("5",), "农、林、牧、渔业生产及辅助人员"),  # a name holding 、
        ("批发与零售服务人员", ("4-01",), "批发与零售服务人员"),  # a group's exact name
        ("9-99-99-99", (), ""),  # no such code
        ("", (), ""),
    ],
)
def test_a_job_wish_reads_codes_of_any_level_and_several_wishes(cell, codes, text):
    wish = default_index().read_wish(cell)
    assert (wish.codes, wish.text) == (codes, text)


def test_inference_scores_only_the_grams_of_the_title():
    index = default_index()
    for title in ("养猪专业户", "手机组装线", "水泥搬运", "4-01"):
        assert index.scores(title) == pytest.approx(index.matrix @ index.vector(title), abs=1e-5)
