"""Employers fixtures: employers registered through the real action."""

from bangfu.employers import actions
from bangfu.employers.creditcode import make_credit_code
from bangfu.employers.models import Employer, EmployerKind

_serial = iter(range(1000, 10**6))


def employer_of(actor, name="花垣县苗绣扶贫车间", area=None, kind=EmployerKind.POVERTY_WORKSHOP, **extra):
    area = area or actor.area
    return actions.save_employer(
        actor,
        Employer(
            credit_code=make_credit_code(area.code[:6], next(_serial)),
            name=name,
            kind=kind,
            area=area,
            **extra,
        ),
    )
