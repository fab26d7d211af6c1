"""Comparison fixtures: registry people in county A (and one in county B), and department files written
as staff receive them (.xlsx with a title row, .csv in GBK or UTF-8)."""

import csv
import datetime as dt

import pytest
import xlsxwriter

from bangfu.compare.actions import create_run
from bangfu.compare.run import run_comparison
from bangfu.registry.actions import save_person
from bangfu.registry.importer import area_lookup
from bangfu.registry.models import Person
from bangfu.registry.rows import clean_row
from bangfu.registry.tests.conftest import VILLAGE, VILLAGE_B, person, pid

TODAY = dt.date(2025, 6, 30)
LONG = pid("1975-03-04", 11)  # 龙春生, 户主 of H1, not working
SHI = pid("1977-08-09", 22)  # 石秀英, his wife
WU = pid("1990-01-02", 41)  # 吴建国, H2, works outside the province
MA = pid("1962-05-06", 31)  # 麻老三, H3
TIAN = pid("1980-01-01", 51, "433123")  # 田大山 of county B


def register(actor, rows):
    lookup = area_lookup(actor.area)
    saved = []
    for row in rows:
        record, errors = clean_row(row, lookup)
        assert not errors, errors
        saved.append(save_person(actor, record))
    return saved


@pytest.fixture
def people(users):
    """Four people in 土地村 (county A), one in county B; keyed by surname."""
    a = register(
        users["county_a"],
        [
            person("H1", "龙春生", LONG, birth="1975-03-04", 务工状态="未务工", 联系电话="13811112222"),
            person("H1", "石秀英", SHI, "配偶", "女", "1977-08-09", 务工状态="未务工"),
            person("H2", "吴建国", WU, birth="1990-01-02"),
            person("H3", "麻老三", MA, birth="1962-05-06", 务工状态="未务工"),
        ],
    )
    b = register(users["county_b"], [person("HB1", "田大山", TIAN, birth="1980-01-01", code=VILLAGE_B)])
    return {"long": a[0], "shi": a[1], "wu": a[2], "ma": a[3], "tian": b[0]}


def write_source(path, rows: list[dict], *, title: str = "来源部门数据", encoding: str = "gbk"):
    """A department file: a title row, then the header (the union of the rows' keys, in order)."""
    header: list[str] = []
    for row in rows:
        header += [k for k in row if k not in header]
    if str(path).endswith(".csv"):
        with open(path, "w", encoding=encoding, newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow([title])
            writer.writerow(header)
            for row in rows:
                writer.writerow([str(row.get(h, "")) for h in header])
        return path
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("数据")
    sheet.write_string(0, 0, title)
    for col, name in enumerate(header):
        sheet.write_string(1, col, name)
    for r, row in enumerate(rows, start=2):
        for col, name in enumerate(header):
            value = row.get(name, "")
            if isinstance(value, int | float):
                sheet.write_number(r, col, value)
            elif isinstance(value, dt.date):
                sheet.write_datetime(
                    r,
                    col,
                    dt.datetime.combine(value, dt.time()),
                    book.add_format({"num_format": "yyyy-mm-dd"}),
                )
            else:
                sheet.write_string(r, col, str(value))
    book.close()
    return path


def compare(user, source_type, path, *, area=None, today=TODAY, **settings):
    """Create and run a comparison as `user` would from the page."""
    run = create_run(area=area or user.area, user=user, source_type=source_type, path=path, **settings)
    return run_comparison(run, today=today)


def lines(run):
    """results.csv as a list of dicts."""
    with run.results.open("rb") as fh:
        text = fh.read().decode("utf-8-sig")
    return list(csv.DictReader(text.splitlines()))


def fresh(person: Person) -> Person:
    return Person.objects.select_related("household").get(pk=person.pk)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


VILLAGE_A = VILLAGE
