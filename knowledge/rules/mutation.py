"""MUT: the mutation-guided choice of TKI (the table lives in ``knowledge.mutations``)."""

from __future__ import annotations

from . import recs
from .engine import Rule, needs
from .response import RESP_MUT
from .workup import WORKUP_3

MUT = Rule(
    "MUT",
    "The TKI is chosen from the mutation table: options shared by every mutation, avoiding drugs any of them "
    "resists; a mutation outside the table or no shared option means referral [branford-2009] [soverini-2011].",
    when=lambda c: bool(c.detected),
    then=recs.switch_for_mutations,
)

MUT_NONE = Rule(
    "MUT-NONE",
    "Tested with no kinase-domain mutation found: the mutation table does not apply; the choice of treatment "
    "follows the response assessment [soverini-2011].",
    when=lambda c: c.case.mutations == [],
    then=lambda c: c.assume(
        "No kinase-domain mutation was found: the mutation table does not apply; the choice "
        "of treatment follows the response assessment."
    ),
)

STEPS = (needs("mutations"), WORKUP_3, MUT_NONE, RESP_MUT, MUT)
