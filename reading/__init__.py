"""Reading a clinician's message, once: the values it gives and how they relate to the patient, the numbers
that are no values, the series of results, what it asks, and its speech act (``read``).

Pure Python (no Rasa import); the NLU components, the forms' validation, corrections and the FAQ search use
the reading instead of reading the text again. ``python -m reading read "message"`` prints it as JSON.
"""

from .model import Ambiguous, MessageReading, NotValue, Point, Value  # noqa: F401
from .reader import read  # noqa: F401
