"""The rules of CDS Hooks 2.0.1 that a discovery document and a service response must follow,
written from the specification (Discovery, Prefetch tokens and query restrictions, CDS Service
Response, Card, Source, Suggestion, Action, Link, Coding; "JSON elements SHALL NOT be null or empty";
the reserved ``extension``) and the hook library 1.0 (the context fields of patient-view,
order-select and order-sign that are prefetch tokens), plus this project's own card contract
(numbered citations with references, the disclaimer, the source's PubMed/DOI link). The outside
conformance check's validator (``spec_check.py``, written from the same text) found nothing these
checks would not."""

import re
import uuid
from urllib.parse import urlsplit

from fhir.resources import construct_fhir_element

from knowledge.sources import SOURCES
from knowledge.vocab import DISCLAIMER

INDICATORS = ("info", "warning", "critical")
SELECTION = ("at-most-one", "any")
ACTION_TYPES = ("create", "update", "delete")
LINK_TYPES = ("absolute", "smart")
TOKEN = re.compile(r"\{\{\s*([^}]*?)\s*\}\}")
SERVICE_FIELDS = {"hook", "title", "description", "id", "prefetch", "usageRequirements", "extension"}
CARD_FIELDS = {
    "uuid",
    "summary",
    "detail",
    "indicator",
    "source",
    "suggestions",
    "selectionBehavior",
    "overrideReasons",
    "links",
    "extension",
}
# hook library 1.0: the context fields that are prefetch tokens (others, draftOrders and selections, are not)
HOOK_TOKENS = {hook: {"userId", "patientId", "encounterId"} for hook in ("patient-view", "order-select", "order-sign")}
USER_TOKENS = {"userPractitionerId", "userPractitionerRoleId", "userPatientId", "userRelatedPersonId"}
DATE_PREFIXES = ("eq", "lt", "gt", "ge", "le")


def no_empty(value, where="$"):
    """null, "", [] and {} are prohibited unless the specification says otherwise (an empty cards list)."""
    assert value is not None and value != "" and value != [] and value != {}, f"{where} is null or empty"
    if isinstance(value, dict):
        for k, v in value.items():
            no_empty(v, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            no_empty(v, f"{where}[{i}]")


def absolute_url(url):
    parts = urlsplit(url)
    assert parts.scheme in ("http", "https") and parts.netloc, f"not an absolute URL: {url}"


def check_discovery(doc):
    assert set(doc) == {"services"} and isinstance(doc["services"], list)
    ids = [s["id"] for s in doc["services"]]
    assert len(ids) == len(set(ids))
    for s in doc["services"]:
        no_empty(s, f"services[{s.get('id')}]")
        assert set(s) <= SERVICE_FIELDS, set(s) - SERVICE_FIELDS
        for field in ("hook", "description", "id"):  # REQUIRED
            assert isinstance(s[field], str)
        assert isinstance(s["title"], str)  # RECOMMENDED
        assert re.fullmatch(r"[A-Za-z0-9._-]+", s["id"]), "the id is a URL path segment"
        assert isinstance(s.get("usageRequirements", ""), str)
        for key, template in s.get("prefetch", {}).items():
            assert isinstance(key, str) and isinstance(template, str)
            check_prefetch(s["hook"], template)


def check_prefetch(hook, template):
    """Prefetch tokens are first-level context fields of the hook that are tokens (or the user tokens), and
    the query keeps to the recommended restrictions: a read or a type-level search, token equality (with
    :in at most), dates with eq/lt/gt/ge/le, _count and _sort."""
    for token in TOKEN.findall(template):
        if token.startswith("context."):
            field = token[len("context.") :]
            assert "." not in field, f"{token}: only first-level context fields"
            assert field in HOOK_TOKENS[hook], f"{token} is not a prefetch token of {hook}"
        else:
            assert token in USER_TOKENS, f"{token} is not a prefetch token"
    path, _, query = template.partition("?")
    assert re.fullmatch(r"[A-Z][A-Za-z]+(/[^/?]+)?", path), f"{path}: a read or a type-level search"
    for param in filter(None, query.split("&")):
        name, _, value = param.partition("=")
        assert not name.startswith("_") or name in ("_count", "_sort"), f"{name}: not a prefetch parameter"
        assert ":" not in name or name.endswith(":in"), f"{name}: no modifier but :in"
        if name == "date":
            assert value[:2] in DATE_PREFIXES or value[:1].isdigit(), f"{param}: date prefixes eq/lt/gt/ge/le"


def check_response(doc):
    assert isinstance(doc, dict) and "cards" in doc and isinstance(doc["cards"], list)
    assert set(doc) <= {"cards", "systemActions", "extension"}
    for card in doc["cards"]:
        check_card(card)
    for action in doc.get("systemActions", []):
        check_action(action)
    return doc["cards"]


def check_action(action):
    assert action["type"] in ACTION_TYPES and isinstance(action["description"], str)
    if action["type"] in ("create", "update"):
        construct_fhir_element(action["resource"]["resourceType"], action["resource"])
    else:
        assert isinstance(action["resourceId"], str)


def check_coding(coding, display_required=False):
    assert isinstance(coding["code"], str) and coding["code"] and isinstance(coding["system"], str)
    assert not display_required or (isinstance(coding["display"], str) and coding["display"])


def check_card(card):
    no_empty(card, "card")
    assert set(card) <= CARD_FIELDS, set(card) - CARD_FIELDS
    uuid.UUID(card["uuid"])  # a card that may get feedback carries a uuid
    assert isinstance(card["summary"], str) and 0 < len(card["summary"]) < 140
    assert "\n" not in card["summary"]
    assert card["indicator"] in INDICATORS
    assert isinstance(card["detail"], str)
    source = card["source"]
    assert isinstance(source["label"], str) and source["label"]
    if "url" in source:
        absolute_url(source["url"])
    if "icon" in source:
        absolute_url(source["icon"])
    if "topic" in source:
        check_coding(source["topic"])
    if "suggestions" in card:
        assert card["selectionBehavior"] in SELECTION, "selectionBehavior MUST accompany suggestions"
        for s in card["suggestions"]:
            assert isinstance(s["label"], str)
            uuid.UUID(s["uuid"])
            assert isinstance(s.get("isRecommended", False), bool)
            for action in s["actions"]:
                check_action(action)
        if card["selectionBehavior"] == "at-most-one":
            assert sum(bool(s.get("isRecommended")) for s in card["suggestions"]) <= 1
    else:
        assert "selectionBehavior" not in card
    for coding in card.get("overrideReasons", []):
        check_coding(coding, display_required=True)  # "MUST populate a display value for each reason's Coding"
    for link in card.get("links", []):
        assert isinstance(link["label"], str) and link["type"] in LINK_TYPES
        absolute_url(link["url"])
        if link["type"] == "absolute":
            assert "appContext" not in link
        assert isinstance(link.get("autolaunchable", False), bool)
    check_citations(card)


def check_citations(card):
    """Every [n] in the detail has its reference; the source is a cited reference's PubMed/DOI link."""
    detail = card["detail"]
    assert DISCLAIMER in detail, "every card ends with the disclaimer"
    refs = detail.split("**References**")[-1] if "**References**" in detail else ""
    numbered = {int(n) for n in re.findall(r"^(\d+)\. ", refs, re.M)}
    for n in {int(n) for n in re.findall(r"\[(\d+)\]", detail.split("**References**")[0])}:
        assert n in numbered, f"citation [{n}] has no reference"
    links = set(re.findall(r"\((https://(?:pubmed\.ncbi\.nlm\.nih\.gov/\d+/|doi\.org/[^)\s]+))\)", refs))
    for key, src in SOURCES.items():
        if src.pmid and src.reference() in refs:
            assert f"https://pubmed.ncbi.nlm.nih.gov/{src.pmid}/" in links, key
        if src.doi and src.reference() in refs:
            assert f"https://doi.org/{src.doi}" in links, key
    if links:
        assert card["source"]["url"] in links, "the source is the link of one of the card's references"
    else:
        assert "url" not in card["source"], "a source link that none of the references has"
