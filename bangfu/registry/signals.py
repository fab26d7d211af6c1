"""Signals other parts of the platform listen to when the registry changes in ways that matter to them."""

from django.dispatch import Signal

# Sent (on commit) when a person is first marked deceased, with sender=Person, person=…, actor=….
# Receivers stop payments, referrals and warnings for that person.
person_deceased = Signal()
