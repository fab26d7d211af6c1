"""The deterministic demo: 湘西州 with 花垣县 and 凤凰县, and one demo user per level.

Later capabilities extend `build_demo` with their own demo data for the same areas.
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from bangfu.accounts import actions as account_actions
from bangfu.accounts.models import User
from bangfu.areas.actions import load_areas
from bangfu.areas.demo import build_designations_demo
from bangfu.areas.models import Area, Level
from bangfu.compare.demo import ensure_comparisons
from bangfu.demo.people import REGISTRY_COLUMNS, generate_households
from bangfu.exchange.report import write_table
from bangfu.jobs.demo import build_jobs_demo
from bangfu.pension.demo import build_pension_demo
from bangfu.posts.demo import build_posts_demo
from bangfu.referrals.demo import build_referrals_demo
from bangfu.registry.actions import create_import_batch, run_registry_import
from bangfu.registry.models import Person
from bangfu.subsidies.demo import build_payouts_demo
from bangfu.supervision.demo import build_supervision_demo
from bangfu.tracking.demo import build_tracking_demo
from bangfu.training.demo import build_training_demo
from bangfu.ventures.demo import build_ventures_demo

PROVINCE = "43"  # 湖南省
CITY = "4331"  # 湘西土家族苗族自治州
COUNTIES = ("433124", "433123")  # 花垣县, 凤凰县
DEMO_PASSWORD = "bangfu-demo-2026"  # works only while BANGFU_DEMO is on (see accounts.backends)
PEOPLE_PER_COUNTY = 20000


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    area: Area
    role: str


def demo_areas() -> list[Area]:
    """Province, city, both counties, the first township of 花垣县 and its first village."""
    codes = [PROVINCE, CITY, *COUNTIES]
    areas = [Area.objects.get(code=code.ljust(12, "0")) for code in codes]
    huayuan = areas[2]
    # A rural township (镇) and a village (村) rather than a street or a residents' committee.
    townships = Area.objects.filter(parent=huayuan, level=Level.TOWNSHIP).order_by("code")
    township = townships.filter(name__endswith="镇").first() or townships.first()
    villages = Area.objects.filter(parent=township, level=Level.VILLAGE).order_by("code")
    village = villages.filter(name__endswith="村").first() or villages.first()
    return [*areas, township, village]


def ensure_areas() -> None:
    """Load Hunan's divisions unless they are already there."""
    if Area.objects.filter(code__in=[c.ljust(12, "0") for c in COUNTIES]).count() != len(COUNTIES):
        load_areas(province=PROVINCE)


def build_demo(people_per_county: int = PEOPLE_PER_COUNTY) -> list[DemoLogin]:
    ensure_areas()
    logins = ensure_users()
    ensure_registry(people_per_county)
    build_jobs_demo(COUNTIES)  # employers, cooperation, jobs, the enterprise login (bangfu/jobs/demo.py)
    build_referrals_demo(COUNTIES)  # referrals at every stage, 311 services, job fairs (referrals/demo.py)
    ensure_comparisons(COUNTIES)
    build_tracking_demo(COUNTIES)  # two years of records, visits, 帮扶责任人, warnings (tracking/demo.py)
    build_designations_demo(COUNTIES)  # 贫困村 → 脱贫村, 深度贫困县, 重点帮扶县, 安置点 (areas/demo.py)
    build_supervision_demo(COUNTIES)  # 督办 tasks, replies, one overdue; the 整改台账 (supervision/demo.py)
    build_payouts_demo(
        COUNTIES
    )  # subsidy rules, last year's 一次性交通补助 list failing each check (subsidies)
    build_posts_demo(COUNTIES)  # 公益性岗位, holders, two months of duty and payroll (posts/demo.py)
    build_training_demo(
        COUNTIES
    )  # providers, courses, needs, trainees, 两后生, 职业培训补贴 (training/demo.py)
    build_ventures_demo(COUNTIES)  # ventures, loans, a 创业园, the three subsidy lists (ventures/demo.py)
    build_pension_demo(COUNTIES)  # enrolment, this year's 养老保险代缴 list, 参保中断 (pension/demo.py)
    return logins


@transaction.atomic
def ensure_users() -> list[DemoLogin]:
    logins = []
    for area in demo_areas():
        username = f"demo{area.short_code}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = account_actions.create_staff_user(
                None,
                username=username,
                password=DEMO_PASSWORD,
                area=area,
                name=f"演示用户（{area.name}）",
                can_manage_users=area.level < Level.VILLAGE,
                # Province and city analysts see masked data only; county and below serve people by name.
                can_view_sensitive=area.level >= Level.COUNTY,
                must_change_password=False,
                is_demo=True,
                validate=False,
            )
        logins.append(DemoLogin(username, DEMO_PASSWORD, area, user.get_role_display()))
    return logins


def ensure_registry(people_per_county: int) -> None:
    """A synthetic registry for each demo county, imported through the real import by its county user,
    so the demo also shows an import batch. Skipped for a county that already has people."""
    for code in COUNTIES:
        county = Area.objects.get(code=code.ljust(12, "0"))
        if Person.objects.for_area(county).exists():
            continue
        villages = list(
            Area.objects.for_area(county)
            .current()
            .filter(level=Level.VILLAGE)
            .order_by("code")
            .values_list("code", "name")
        )
        folder = Path(settings.DATA_DIR) / "demo-files"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{county.name}演示名册.csv"
        households = generate_households(villages, people_per_county, seed=int(code))
        write_table(
            path,
            list(REGISTRY_COLUMNS),
            ([row[c] for c in REGISTRY_COLUMNS] for h in households for row in h),
        )
        user = User.objects.get(username=f"demo{code}")
        run_registry_import(create_import_batch(area=county, user=user, path=path))
