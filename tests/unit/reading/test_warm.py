"""The servers' warm-up (reading.warm): every input field's normaliser is built before the first message."""

from knowledge.normalize import NORMALIZERS
from reading.warm import SAMPLES, warm_up


def test_the_warm_up_reads_a_sample_of_every_input_field():
    assert set(SAMPLES) == set(NORMALIZERS)
    assert warm_up() >= 0
