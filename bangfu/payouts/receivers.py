"""What the payout core does when the registry changes: a person marked deceased stops their open lines."""

from django.db import transaction

from bangfu.audit.log import record as audit
from bangfu.audit.models import Action
from bangfu.payouts import checks


def person_deceased(sender, person=None, actor=None, **kwargs):
    if person is None:
        return
    with transaction.atomic():
        for payout_list in checks.stop_for_death(person):
            audit(
                Action.UPDATE,
                actor=actor,
                obj=payout_list,
                message=f"登记死亡信息，停发 {person.name} 的补贴",
            )
