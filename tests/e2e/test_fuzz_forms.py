"""Fuzz: random and malformed messages into every value every form asks for, through the REST webhook.

For each form, the test walks the form: at each value the form asks for, it sends a batch of bad
messages (wrong units, negative and huge numbers, emoji, empty text, 10 kB strings, SQL, markup,
control characters), then a good answer to move on, until the recommendation. After every bad
message, the conversation's stored slots (read from the tracker store) must be unchanged, the form
must still be open and asking for the same value, and the reply must ask for it again.

Each asked value gets its batch in a conversation of its own that reached that value with the good
answers before it: the batches of earlier values do not pile up in one tracker (Rasa's work per
message grows with the length of the conversation; 130 messages in one made this test 90 s long).
"""

import itertools
import json
import random
import sqlite3
import string

import pytest

from dialogue.forms import CLINICAL_SLOTS, FORMS, VALUES
from harness.servers import Chat

pytestmark = pytest.mark.rasa

STARTERS = {
    "response_form": "assess response for my patient",
    "dose_reduction_form": "can I reduce the dose?",
    "tdm_form": "interpret a trough level",
    "workup_form": "work up a suboptimal response",
    "mutation_form": "my patient has a kinase domain mutation, help me choose the TKI",
    "post_reduction_form": "check after a dose reduction",
}
GOOD = {
    "bcr_abl1_is": "0.05 %",
    "months_on_tki": "24 months",
    "mmr_months": "30 months",
    "dmr_months": "26 months",
    "dose_mg": "400 mg",
    "standard_dose_mg": "400 mg",
    "adherence_pct": "95 %",
    "ae_grade": "grade 1",
    "goal": "tolerability",
    "prior_tki_failure": "no",
    "trough_ng_ml": "850 ng/mL",
    "hours_since_dose": "24 h",
    "days_at_current_dose": "10 days",
    "mutations": "none found",
    "drug_interaction_concern": "no",
    "ddpcr_mr45": "yes",
    "response_confirmed": "yes",
    "phase": "chronic",
    "dosing": "once daily",
    "response_status": "warning",
}
FIXED = [
    "",
    " ",
    "\t\n",
    "🙂",
    "💊💊💊",
    "🧬 0.1 🧬?",
    "¯\\_(ツ)_/¯",
    "\u202etext reversed",
    "\u0000\u0001\u0002",
    "-5",
    "-0.1 %",
    "−3 months",
    "-400 mg",
    "1e308",
    "99999999999999999999",
    "10^400 %",
    "NaN",
    "Infinity",
    "12 kg",
    "5 mph",
    "37 °C",
    "3 Hz",
    "40 cm",
    "2 litres",
    "900 kcal",
    "7 parsecs",
    "'; DROP TABLE events; --",
    "1 OR 1=1",
    '" OR ""="',
    "UNION SELECT * FROM events",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "**bold** _it_ [x](javascript:alert(1))",
    "{{7*7}}",
    "${jndi:ldap://x}",
    "%s%s%s%n",
    "../../etc/passwd",
    "null",
    "undefined",
    "{}",
    "[]",
    "a" * 10240,
    ("lorem ipsum " * 900)[:10240],
]

# a good answer that gives a recommendation in that form ("none found" is good, but the mutation table then
# does not apply: the reply says so, without a card)
# in the dose-reduction form, under 3 years of therapy settles the answer (RED-3) and nothing more is asked:
# 5 years keeps every value of the form asked
GOOD_IN = {("mutation_form", "mutations"): "T315I", ("dose_reduction_form", "months_on_tki"): "5 years"}

PER_VALUE = 21  # bad messages per asked value: 25 values asked (the others are read from the answers) → 525


def random_junk(rng: random.Random) -> str:
    alphabet = string.ascii_letters + string.punctuation + " éøß😀∑≠"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60)))


def state(servers, sender):
    """Slots and the active form of ``sender`` as stored by the Rasa server (replayed slot events)."""
    con = sqlite3.connect(f"file:{servers.tracker_db}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,)).fetchall()
    finally:
        con.close()
    slots, form = {}, None
    for (data,) in rows:
        event = json.loads(data)
        if event["event"] == "slot":
            slots[event["name"]] = event["value"]
        elif event["event"] == "active_loop":
            form = event.get("name")
        elif event["event"] in ("restart", "reset_slots"):
            slots, form = {}, None
    return slots, form


def test_fuzz_every_form_slot(servers):
    rng = random.Random(20261126)
    fixed = itertools.count()  # every fixed message is sent, in turn, to a different value
    sent = refused = 0
    asked_slots = set()
    for form in FORMS:
        given = []  # the good answers that brought the form to the value asked now
        for step in range(len(CLINICAL_SLOTS)):
            chat = Chat(servers, sender=f"fuzz-{form}-{step}")
            for message in [STARTERS[form], *given]:
                chat.say(message)
            slots, active = state(servers, chat.sender)
            assert active == form, f"{form} closed after {given}"
            requested = slots.get("requested_slot")
            assert requested in [a.slot for a in FORMS[form].asks], f"{form} asks for {requested}"
            asked_slots.add((form, requested))
            before = {k: slots.get(k) for k in CLINICAL_SLOTS}
            batch = [FIXED[next(fixed) % len(FIXED)] for _ in range(PER_VALUE - 4)] + [
                random_junk(rng) for _ in range(4)
            ]
            for message in batch:
                reply = servers.say(chat.sender, message)
                sent += 1
                text = "\n".join(m.get("text", "") for m in reply)
                after, still = state(servers, chat.sender)
                assert still == form, f"{message[:40]!r} left {form}"
                assert {k: after.get(k) for k in CLINICAL_SLOTS} == before, f"{message[:40]!r} changed a value"
                assert after.get("requested_slot") == requested
                assert VALUES[requested].question in text, (
                    f"{message[:40]!r} was not answered by asking again: {text!r}"
                )
                refused += 1
            given.append(GOOD_IN.get((form, requested), GOOD[requested]))
            chat.say(given[-1])  # after the whole batch, a good answer is still taken
            after, still = state(servers, chat.sender)
            if still != form:
                break  # the last value: the form ends in its recommendation, in this conversation
            assert after.get(requested) is not None, f"{given[-1]!r} not kept after the batch"
        assert chat.assessment["assessment"] == FORMS[form].assessment, f"{form} did not end in a recommendation"
    print(
        f"\nfuzz: {sent} bad messages into {len(asked_slots)} asked values of {len(FORMS)} forms, "
        f"{refused} refused with the question asked again, 0 values changed, 0 crashes; asked: {sorted(asked_slots)}"
    )
    assert sent >= 500 and next(fixed) >= len(FIXED)
