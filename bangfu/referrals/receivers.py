"""Listening to the registry: a person who died has their open referrals given up (放弃, 已故)."""

from django.dispatch import receiver

from bangfu.registry.signals import person_deceased


@receiver(person_deceased, dispatch_uid="referrals_person_deceased")
def give_up_referrals_of_deceased(sender, person=None, actor=None, **kwargs):
    from bangfu.referrals.actions import withdraw_for_deceased

    if person is not None:
        withdraw_for_deceased(person, actor)
