"""`run_finished`: a comparison run is done (its results.csv and rows file kept). Sent with `run`; apps that
keep what a source type says beyond the registry listen (bangfu/pension: 医保结算)."""

from django.dispatch import Signal

run_finished = Signal()
