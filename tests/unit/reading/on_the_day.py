"""The reading of a message on one fixed day (2026-12-07), for tests whose values count from a date."""

from __future__ import annotations

import datetime

from reading import read

TODAY = datetime.date(2026, 12, 7)


def read_today(text):
    return read(text, today=TODAY)


def values_today(text):
    return {f: v.value for f, v in read_today(text).values.items()}
