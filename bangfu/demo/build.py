"""The deterministic demo: 湘西州 with 花垣县 and 凤凰县, and one demo user per level.

Later capabilities extend `build_demo` with their own demo data for the same areas.
"""

from dataclasses import dataclass

from django.db import transaction

from bangfu.accounts import actions as account_actions
from bangfu.accounts.models import User
from bangfu.areas.actions import load_areas
from bangfu.areas.models import Area, Level

PROVINCE = "43"  # 湖南省
CITY = "4331"  # 湘西土家族苗族自治州
COUNTIES = ("433124", "433123")  # 花垣县, 凤凰县
DEMO_PASSWORD = "bangfu-demo-2026"  # works only while BANGFU_DEMO is on (see accounts.backends)


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


@transaction.atomic
def build_demo() -> list[DemoLogin]:
    ensure_areas()
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
