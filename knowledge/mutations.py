"""BCR-ABL1 kinase-domain mutation names and the mutation-guided TKI table (spec MUT)."""

from __future__ import annotations

import re
from typing import Iterable, List, Tuple

THREE_TO_ONE = {
    "ala": "A",
    "arg": "R",
    "asn": "N",
    "asp": "D",
    "cys": "C",
    "gln": "Q",
    "glu": "E",
    "gly": "G",
    "his": "H",
    "ile": "I",
    "leu": "L",
    "lys": "K",
    "met": "M",
    "phe": "F",
    "pro": "P",
    "ser": "S",
    "thr": "T",
    "trp": "W",
    "tyr": "Y",
    "val": "V",
}
ONE_LETTER = set(THREE_TO_ONE.values())
_AA = r"([a-z]{3}|[a-z])"
_MUTATION = re.compile(rf"^(?:p\.)?{_AA}(\d{{1,4}}){_AA}$", re.IGNORECASE)

# ABL1's reference amino acid at the known imatinib-resistance sites of the kinase domain (spec v1.2, MUT). A
# name whose residue is one of these but whose reference amino acid differs is asked about, never accepted.
ABL1_REFERENCE = {
    244: "M",
    248: "L",
    250: "G",
    252: "Q",
    253: "Y",
    255: "E",
    276: "D",
    277: "T",
    279: "E",
    299: "V",
    311: "F",
    315: "T",
    317: "F",
    351: "M",
    355: "E",
    359: "F",
    379: "V",
    387: "L",
    396: "H",
    459: "E",
    486: "F",
}


class WrongReference(ValueError):
    """A mutation name at a known site whose reference amino acid is not ABL1's: a question, not a value."""


def _did_you_mean(ref: str, pos: int, new: str) -> List[str]:
    """Known sites with this reference amino acid whose number has the same digits (T351I → T315I); else the
    name with ABL1's own reference at that position (S315I → T315I)."""
    digits = sorted(str(pos))
    out = [f"{ref}{p}{new}" for p, aa in ABL1_REFERENCE.items() if aa == ref and p != pos and sorted(str(p)) == digits]
    if not out and ABL1_REFERENCE[pos] != new:
        out = [f"{ABL1_REFERENCE[pos]}{pos}{new}"]
    return out


EXPECTED_FORM = (
    "a kinase-domain mutation such as T315I, p.T315I or Thr315Ile "
    "(reference amino acid, residue number, new amino acid)"
)


def _residue(token: str) -> str:
    token = token.lower()
    if len(token) == 1:
        if token.upper() in ONE_LETTER:
            return token.upper()
    elif token in THREE_TO_ONE:
        return THREE_TO_ONE[token]
    raise ValueError(f"{token!r} is not an amino acid")


def normalize_mutation(text: str) -> str:
    """``t315i``, ``p.T315I``, ``Thr315Ile``, ``p.Phe317Leu`` → ``T315I``, ``F317L``.

    Anything that is not a protein-level substitution is rejected with the expected form.
    """
    raw = text.strip().replace(" ", "")
    m = _MUTATION.match(raw)
    if not m:
        raise ValueError(f"{text.strip()[:60]!r} is not a mutation name: expected {EXPECTED_FORM}")
    try:
        ref, new = _residue(m.group(1)), _residue(m.group(3))
    except ValueError:
        raise ValueError(f"{text.strip()[:60]!r} is not a mutation name: expected {EXPECTED_FORM}") from None
    pos = int(m.group(2))
    if pos == 0:
        raise ValueError(f"{text.strip()[:60]!r}: residue number must be positive")
    if ref == new:
        raise ValueError(f"{text.strip()[:60]!r} changes nothing ({ref} to {ref}): expected {EXPECTED_FORM}")
    known = ABL1_REFERENCE.get(pos)
    if known is not None and known != ref:
        guesses = _did_you_mean(ref, pos, new)
        ask = f"; did you mean {' or '.join(guesses)}?" if guesses else "; which mutation was reported?"
        raise WrongReference(f"{ref}{pos}{new}: residue {pos} of ABL1 is {known}{ask}")
    return f"{ref}{pos}{new}"


# The spec's table. Each row: (mutations, options, avoid, cites). "imatinib escalation" is an
# avoid item, not a drug.
IMATINIB_ESCALATION = "imatinib escalation"
_ROWS: Tuple[Tuple[Tuple[str, ...], Tuple[str, ...], Tuple[str, ...]], ...] = (
    (("T315I",), ("ponatinib", "asciminib"), (IMATINIB_ESCALATION, "dasatinib", "nilotinib", "bosutinib")),
    (("V299L",), ("nilotinib", "ponatinib"), ("dasatinib", "bosutinib")),
    (("T315A",), ("nilotinib", "bosutinib", "ponatinib"), ("dasatinib",)),
    (("F317L", "F317V", "F317I", "F317C"), ("nilotinib", "bosutinib", "ponatinib"), ("dasatinib",)),
    (("Y253H", "E255K", "E255V", "F359V", "F359I", "F359C"), ("dasatinib", "bosutinib", "ponatinib"), ("nilotinib",)),
)
TABLE = {m: (opts, avoid) for muts, opts, avoid in _ROWS for m in muts}
OTHER_OPTIONS = ("dasatinib", "nilotinib", "bosutinib")
OTHER_AVOID = (IMATINIB_ESCALATION,)


class MutationChoice:
    """Result of the table for one or more detected mutations."""

    def __init__(self, options: List[str], avoid: List[str], listed: List[str], unlisted: List[str]):
        self.options = options
        self.avoid = avoid
        self.listed = listed  # mutations with their own row
        self.unlisted = unlisted  # "any other" row

    @property
    def refer(self) -> bool:
        return bool(self.unlisted) or not self.options


def choose(mutations: Iterable[str]) -> MutationChoice:
    """Intersect the options and unite the avoids of every detected mutation (spec MUT)."""
    options: List[str] = []
    avoid: List[str] = []
    listed: List[str] = []
    unlisted: List[str] = []
    first = True
    for m in mutations:
        if m in TABLE:
            opts, av = TABLE[m]
            listed.append(m)
        else:
            opts, av = OTHER_OPTIONS, OTHER_AVOID
            unlisted.append(m)
        options = list(opts) if first else [o for o in options if o in opts]
        first = False
        avoid += [a for a in av if a not in avoid]
    options = [o for o in options if o not in avoid]
    return MutationChoice(options, avoid, listed, unlisted)
