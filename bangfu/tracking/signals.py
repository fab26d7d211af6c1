"""Signals of tracking, sent on commit.

`visits_recorded` (sender `Visit`, `person_ids`): visits were recorded or changed for these people (the
form, an import); the warnings engine rescans them (跟踪逾期 and 联系不上 clear with a visit)."""

from django.dispatch import Signal

visits_recorded = Signal()
