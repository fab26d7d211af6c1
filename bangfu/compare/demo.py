"""Demo comparisons: for the first township of each demo county a social-insurance file (most people
enrolled, some paid for by an employer, some IDs damaged, a few people from elsewhere), and a death file
for the first county; run through the real comparison as the county's demo user, nothing applied."""

import csv
import random
from pathlib import Path

from django.conf import settings

from bangfu.accounts.models import User
from bangfu.areas.models import Area, Level
from bangfu.compare.actions import create_run
from bangfu.compare.models import ComparisonRun
from bangfu.compare.run import run_comparison
from bangfu.registry.models import Person

SOCIAL_HEADER = [
    "姓名",
    "证件号码",
    "性别",
    "出生日期",
    "联系电话",
    "险种",
    "参保状态",
    "参保单位",
    "参保地区划代码",
    "最近缴费年月",
]
EMPLOYERS = [
    "吉首市湘泉建筑劳务有限公司",
    "长沙远大住宅工业有限公司",
    "东莞市长安镇电子厂",
    "花垣县苗绣扶贫车间",
]
EMPLOYER_AREAS = ["433101", "430104", "441900", "433124"]
HOMOPHONES = {"春": "纯", "秀": "绣", "建": "健", "华": "花", "明": "铭", "红": "宏", "英": "瑛", "平": "萍"}


def ensure_comparisons(counties: tuple[str, ...], today=None) -> None:
    """Skipped for a county that already has a comparison run."""
    folder = Path(settings.DATA_DIR) / "demo-files"
    folder.mkdir(parents=True, exist_ok=True)
    for index, code in enumerate(counties):
        county = Area.objects.get(code=code.ljust(12, "0"))
        if ComparisonRun.objects.for_area(county).exists():
            continue
        user = User.objects.get(username=f"demo{code}")
        township = (
            Area.objects.for_area(county).current().filter(level=Level.TOWNSHIP).order_by("code").first()
        )
        rng = random.Random(int(code))
        people = list(
            Person.objects.for_area(township)
            .filter(is_deceased=False)
            .order_by("id")
            .values("name", "id_number", "sex", "birth_date", "phone", "area_id")
        )
        path = folder / f"{township.name}社保参保数据.csv"
        _write_social(path, people, rng)
        run_comparison(
            create_run(area=township, user=user, source_type="social-insurance", path=path), today=today
        )
        if index == 0:
            path = folder / f"{county.name}死亡数据.csv"
            with open(path, "w", encoding="gb18030", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow([f"{county.name}公安局户籍注销（死亡）名单"])
                writer.writerow(["姓名", "证件号码", "性别", "死亡日期"])
                for person in rng.sample(people, min(6, len(people))):
                    writer.writerow(
                        [
                            person["name"],
                            person["id_number"],
                            person["sex"],
                            f"2025-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                        ]
                    )
                writer.writerow(["吴某某", "", "男", "2025-04-02"])  # nobody in the registry
            run_comparison(create_run(area=county, user=user, source_type="death", path=path), today=today)


def _write_social(path: Path, people: list[dict], rng: random.Random) -> None:
    with open(path, "w", encoding="gb18030", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["城乡居民基本养老保险参保缴费明细"])
        writer.writerow(SOCIAL_HEADER)
        for person in people:
            if rng.random() < 0.08:
                continue  # not enrolled: shows as 未参保
            name, id_number = person["name"], person["id_number"]
            damage = rng.random()
            if damage < 0.02:
                id_number = ""  # missing ID: linked by name, birth date, phone
            elif damage < 0.04:
                id_number = id_number[:6] + id_number[8:17]  # the old 15-digit number
            elif damage < 0.06:
                name = "".join(HOMOPHONES.get(ch, ch) for ch in name)
            kind, status, employer, area = "城乡居民养老保险", "参保缴费", "", person["area_id"]
            if rng.random() < 0.03:
                at = rng.randrange(len(EMPLOYERS))
                kind, employer, area = "企业职工养老保险", EMPLOYERS[at], EMPLOYER_AREAS[at]
            elif rng.random() < 0.02:
                status = "暂停缴费"
            writer.writerow(
                [
                    name,
                    id_number,
                    person["sex"],
                    person["birth_date"].isoformat(),
                    person["phone"],
                    kind,
                    status,
                    employer,
                    area,
                    "2025-05",
                ]
            )
        for i in range(12):  # people from elsewhere
            writer.writerow(
                [f"外地{i}号", "", "男", "1985-01-01", "", "城乡居民养老保险", "参保缴费", "", "", "2025-05"]
            )
