"""The kinds of area designation (认定), their level of area and how they follow each other: plain Python,
read by the models, the designations file (areas/importer.py) and the exchange catalog (no Django set up)."""

from django.db.models import TextChoices

COUNTY, VILLAGE = 3, 5  # areas.models.Level


class DesignationKind(TextChoices):
    """The national categories an area can be listed in. Fixed by policy, not by staff: rules and figures
    name them, so they are code, each with the one level of area it can be given to (DESIGNATION_LEVELS)."""

    POOR_VILLAGE = "poor_village", "贫困村"
    EXITED_VILLAGE = "exited_village", "脱贫村"
    DEEP_POVERTY_COUNTY = "deep_poverty_county", "深度贫困县"
    KEY_COUNTY = "key_county", "国家乡村振兴重点帮扶县"
    RELOCATION_SITE = "relocation_site", "易地搬迁安置点"


# The level of area each kind is given to: a 贫困村 is a village, a 重点帮扶县 a county; a 安置点 is a
# village-level area (村 or 社区/居委会: the statistical codes give a resettlement community a 12-digit
# code of its own).
DESIGNATION_LEVELS = {
    DesignationKind.POOR_VILLAGE: VILLAGE,
    DesignationKind.EXITED_VILLAGE: VILLAGE,
    DesignationKind.DEEP_POVERTY_COUNTY: COUNTY,
    DesignationKind.KEY_COUNTY: COUNTY,
    DesignationKind.RELOCATION_SITE: VILLAGE,
}
# A kind that takes over from another on the same day: a 贫困村 becomes a 脱贫村 the day it exits, so listing
# the 脱贫村 from a date ends the open 贫困村 listing of that village on that date.
SUCCEEDS = {DesignationKind.EXITED_VILLAGE: DesignationKind.POOR_VILLAGE}
# Kinds an area never carries on the same day (a village is poor or has exited, not both).
EXCLUSIVE = (frozenset({DesignationKind.POOR_VILLAGE, DesignationKind.EXITED_VILLAGE}),)


def exclusive_with(kind: str) -> frozenset[str]:
    """The kinds (`kind` among them) that must not overlap `kind` on one area."""
    return next((group for group in EXCLUSIVE if kind in group), frozenset({kind}))


# slug → Chinese name, in the order pages and files list them (areas/designations.py KINDS).
NAMES: dict[str, str] = {kind.value: str(kind.label) for kind in DesignationKind}
_BY_NAME = {name: slug for slug, name in NAMES.items()}
_SHORT_NAMES = {"重点帮扶县": "key_county", "乡村振兴重点帮扶县": "key_county", "安置点": "relocation_site"}


def kind_of(name: str) -> str:
    """The slug of a kind named by slug, Chinese name or a common short name; ValueError (Chinese) if none."""
    text = (name or "").strip()
    if text in NAMES:
        return text
    slug = _BY_NAME.get(text) or _SHORT_NAMES.get(text)
    if slug is None:
        raise ValueError(f"没有这种认定类别：“{name}”；可填写：{'、'.join(NAMES.values())}")
    return slug
