"""A run's phases: wall and CPU seconds, the kernel's part of the CPU, and the peak memory."""

import os

from bangfu.compare.run import PhaseClock


def test_a_phase_records_its_kernel_seconds_within_its_cpu(tmp_path):
    clock = PhaseClock()
    with clock("write"):
        for _ in range(20):  # random bytes, file writes and fresh pages: kernel time
            with open(tmp_path / "x.bin", "wb") as handle:
                handle.write(os.urandom(1 << 20))
                os.fsync(handle.fileno())
    with clock("write"):  # a phase timed twice adds up
        sum(range(100_000))
    assert set(clock.kernel) == set(clock.cpu) == {"write"}
    assert 0 < clock.kernel["write"] <= clock.cpu["write"] + 0.01
    assert clock.peak["write"] > 0
