"""Security: servers on loopback, the action server answering only the Rasa server (shared secret) and
writing no audit row for anyone else, HTTP API off by default and authenticated when on, web chat
origins, secrets, logs."""

import csv
import io
import re
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from helpers import ROOT
from rasa_fixtures import API_TOKEN, AUX_HOST, AUX_SECRET, OTHER_ORIGIN

from audit import AuditLog
from harness.servers import ENV, Chat, listeners, outside_call

pytestmark = pytest.mark.rasa


def status(url, headers=None):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


# --- who can reach the servers ------------------------------------------------------------------------


def test_the_servers_listen_on_loopback_and_say_where(servers, aux_servers):
    assert set(listeners([p.pid for p in servers.procs])) == {
        ("127.0.0.1", servers.actions_port),
        ("127.0.0.1", servers.rasa_port),
    }
    assert (
        f"serve: Rasa server listening on 127.0.0.1:{servers.rasa_port} (this machine only" in servers.rlog.read_text()
    )
    assert f"actions: listening on http://127.0.0.1:{servers.actions_port} (loopback only)" in servers.alog.read_text()
    # RASA_HOST and ACTIONS_HOST are obeyed (another loopback address here, so that nothing is opened)
    assert set(listeners([p.pid for p in aux_servers.procs])) == {
        (AUX_HOST, aux_servers.actions_port),
        (AUX_HOST, aux_servers.rasa_port),
    }


def test_an_action_call_from_outside_the_rasa_server_gets_401_and_writes_no_audit_row(servers):
    """Issue 24: anyone who reached the action server got a recommendation and an audit row for it."""
    url, audit = servers.actions_url, AuditLog(servers.audit_db)
    before = audit.count()
    code, body = outside_call(url)  # the call of the issue: no secret
    assert (code, audit.count()) == (401, before), "(status, audit rows) after the call of the issue"
    assert body == {"error": "unauthorized: this action server answers only the Rasa servers of its deployment"}
    secret = (servers.workdir / "actions.secret").read_text().strip()  # generated on first run
    assert outside_call(url, "Bearer not-the-secret")[0] == 401
    assert outside_call(url, f"Bearer {AUX_SECRET}")[0] == 401  # another deployment's secret
    assert outside_call(url, secret)[0] == 401  # not as a Bearer credential
    assert outside_call(url, query=f"?token={secret}")[0] == 401  # never in a URL, where access logs keep it
    assert status(f"{url}/actions") == 401 and status(f"{url}/health") == 200
    assert audit.count() == before, "a refused call wrote an audit row"
    assert "refused POST /webhook from 127.0.0.1: no shared secret (nothing run)" in servers.alog.read_text()
    # the same call with the secret is a real recommendation call: the 401 above is the check, not a bad call
    code, body = outside_call(url, f"Bearer {secret}")
    assert code == 200 and body["responses"][0]["custom"]["type"] == "recommendation"
    assert audit.count() == before + 1


def test_a_recommendation_given_through_the_rasa_server_is_recorded_with_rule_set_channel_and_time(servers):
    audit = AuditLog(servers.audit_db)
    before = audit.count()
    chat = Chat(servers)
    chat.say(
        "can I reduce the dose? 400 mg for 5 years, BCR-ABL 0.008 %, MMR 30 months, grade 2 oedema, wants a lower dose"
    )
    chat.say("never misses")
    chat.say("no")
    assert chat.assessment["assessment"] == "dose_reduction"
    assert audit.count() == before + 1
    out = subprocess.run(
        [sys.executable, "-m", "audit", "export", "--db", str(servers.audit_db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    row = list(csv.DictReader(io.StringIO(out.stdout)))[-1]
    assert row["channel"] == "rest" and row["assessment"] == "dose_reduction"
    assert row["rule_set_version"] == chat.assessment["rule_set_version"] and row["recorded_at"].endswith("Z")


def test_an_action_server_with_another_secret_refuses_the_rasa_server_and_the_user_is_told(aux_servers):
    chat = Chat(aux_servers)
    chat.say("check after a dose reduction")
    assert "BCR-ABL1" in chat.text
    aux_servers.procs[0].terminate()
    aux_servers.procs[0].wait(timeout=30)
    aux_servers.env["ACTIONS_SECRET"] = "another-deployment-" + "1" * 20
    try:
        aux_servers.start_actions()
        chat.say("0.15 %")
        assert "decision service is unavailable" in chat.text
        assert ": a wrong shared secret (nothing run)" in aux_servers.alog.read_text()
        assert "do not share one ACTIONS_SECRET" in aux_servers.rlog.read_text()
    finally:
        aux_servers.procs[0].terminate()
        aux_servers.procs[0].wait(timeout=30)
        aux_servers.env["ACTIONS_SECRET"] = AUX_SECRET
        aux_servers.start_actions()
    chat.say("0.15 %")
    assert "dose" in chat.text.lower(), "the form goes on with the right secret"


# --- the Rasa server's HTTP API and web chat ----------------------------------------------------------


def test_http_api_is_off_by_default(servers):
    base = servers.url
    assert status(f"{base}/") == 200
    for path in ("/status", "/version", "/conversations/someone/tracker", "/domain"):
        assert status(f"{base}{path}") == 404, path


def test_http_api_when_on_needs_the_token(aux_servers):
    base = aux_servers.url
    aux_servers.say("api-check", "hello")
    assert status(f"{base}/conversations/api-check/tracker") == 401
    assert status(f"{base}/conversations/api-check/tracker?token=wrong") == 401
    assert status(f"{base}/conversations/api-check/tracker?token={API_TOKEN}") == 200


def test_the_api_is_never_started_open():
    env = {**ENV, "MODEL": "models/none.tar.gz", "RASA_ENABLE_API": "true"}
    env.pop("RASA_API_TOKEN", None)
    env.pop("RASA_JWT_SECRET", None)
    out = subprocess.run(
        [str(ROOT / "scripts" / "serve_rasa.sh")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 2 and "needs RASA_API_TOKEN or RASA_JWT_SECRET" in out.stderr


def socket_status(servers, origin):
    url = f"{servers.url}/socket.io/?EIO=4&transport=polling"
    return status(url, {"Origin": origin})


def test_web_chat_socket_accepts_only_the_widgets_origin(servers, aux_servers):
    own = f"http://127.0.0.1:{servers.rasa_port}"
    assert socket_status(servers, own) == 200
    assert socket_status(servers, "https://evil.example.com") == 400
    assert socket_status(servers, OTHER_ORIGIN) == 400  # not configured on these servers
    assert socket_status(aux_servers, OTHER_ORIGIN) == 200  # WEBCHAT_ORIGINS
    assert socket_status(aux_servers, "https://evil.example.com") == 400


def test_no_secret_in_the_repository():
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    for name in files:
        path = ROOT / name
        if name.startswith("tests/") or not path.is_file() or path.suffix in (".png", ".lock"):
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        assert not re.search(r"xox[abpr]-[0-9A-Za-z-]{10,}|xapp-[0-9A-Za-z-]{10,}", text), (
            f"{name} holds what looks like a Slack token"
        )
    credentials = (ROOT / "credentials.yml").read_text()
    assert "slack" not in credentials.lower().replace("bot.channels.slack", "")


def test_no_patient_value_or_free_text_in_the_logs_at_info(servers):
    chat = Chat(servers)
    chat.say("hello")
    chat.say(
        "can I reduce the dose? 400 mg for 7 years, BCR-ABL 0.0123 %, MMR 41 months, grade 2 oedema, "
        "wants a lower dose, Mrs Testpatient"
    )
    chat.say("never misses")
    chat.say("no")
    assert chat.assessment["assessment"] == "dose_reduction"
    logs = servers.rlog.read_text(errors="ignore") + servers.alog.read_text(errors="ignore")
    assert "INFO" in logs  # the servers log at INFO: the check below is not vacuous
    for secret in ("0.0123", "Testpatient", "oedema", "41 months", "never misses", chat.sender):
        assert secret not in logs, f"{secret!r} found in the server logs"
    assert "xoxb-test" not in logs and "test-signing-secret" not in logs  # the Slack secrets of these servers
