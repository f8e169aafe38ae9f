"""Each field's and each assessment's names live in one place, knowledge/fields.py (issue 22): a test greps the
rest of the code (Python, the widget's script and page, the domain and training data) for every name it holds."""

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest
from helpers import ROOT

from knowledge.fields import ASSESSMENT_NAMES, FIELDS

HOME = ROOT / "knowledge" / "fields.py"
SOURCES = [
    p
    for pattern in ("*.py", "**/*.py", "web/*.js", "web/*.html", "*.yml", "bot/**/*.yml")
    for p in ROOT.glob(pattern)
    if ".venv" not in p.parts and "tests" not in p.parts and "node_modules" not in p.parts and p != HOME
]

# names long enough to be a definition, not a word in a sentence ("phase", "mutations" are words)
NAMES = sorted(
    {
        text
        for f in FIELDS.values()
        for text in (f.label, f.short, f.phrase, f.question, f.shown, f.record or "")
        if len(text) >= 12
    }
    | {text for a in ASSESSMENT_NAMES.values() for text in (a.title, a.record_title, a.opener) if len(text) >= 12}
)


def test_the_registry_names_every_field_and_assessment_of_the_spec():
    from knowledge.models import PatientCase
    from knowledge.vocab import ASSESSMENTS

    assert set(ASSESSMENT_NAMES) == set(ASSESSMENTS)
    inputs = set(PatientCase.__fields__) - {"assessment"}
    assert inputs <= set(FIELDS), f"fields without a name: {sorted(inputs - set(FIELDS))}"


# the same words that are no name: a reader's vocabulary
NOT_A_NAME = {
    ("knowledge/normalize.py", "on a reduced dose"),  # an answer that means yes
    ("actions/server.py", "trough level"),  # a query that warms the FAQ index
}


def _strings(path: Path) -> set:
    """The string literals of a Python file (not its comments; a docstring is one literal), or the quoted
    strings of another file."""
    text = path.read_text(errors="replace")
    if path.suffix != ".py":
        return {q[1:-1] for q in re.findall(r'"[^"\n]*"|\'[^\'\n]*\'', text)}
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    out = set()
    for t in tokens:
        if t.type == tokenize.STRING:
            try:
                value = ast.literal_eval(t.string)
            except (ValueError, SyntaxError):  # an f-string
                continue
            out.add(value if isinstance(value, str) else "")
    return out


STRINGS = {str(p.relative_to(ROOT)): _strings(p) for p in SOURCES}


@pytest.mark.parametrize("name", NAMES)
def test_a_name_is_defined_once(name):
    found = [path for path, strings in STRINGS.items() if name in strings and (path, name) not in NOT_A_NAME]
    assert not found, f"{name!r} is written again in {found}: derive it from knowledge/fields.py"


def test_the_widget_keeps_no_table_of_labels_or_titles():
    script = (ROOT / "web" / "chat.js").read_text()
    assert "var FIELDS" not in script and "var TITLES" not in script
