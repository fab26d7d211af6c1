"""A finished `medical-settlement` comparison run: its settlements kept (pension/settlements.py)."""

from django.dispatch import receiver

from bangfu.compare.signals import run_finished


@receiver(run_finished, dispatch_uid="pension-settlements")
def keep_settlements(sender, run, **kwargs):
    from bangfu.compare.sources import SETTLEMENT
    from bangfu.pension.settlements import load

    if run.source_type == SETTLEMENT:
        load(run)
