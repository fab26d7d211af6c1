"""Signals other parts of the platform listen to when employment records change."""

from django.dispatch import Signal

# Sent on commit whenever records were created, ended or changed, with sender=EmploymentRecord and
# person_ids=[…] (the people whose records changed; their 务工状态 is already refreshed). Tracking's
# warnings listen and scan those people again.
records_changed = Signal()
