"""Security: HTTP API off by default and authenticated when on, web chat origins, secrets, logs."""

import re
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from rasa_fixtures import API_TOKEN, OTHER_ORIGIN

from harness.servers import ENV, Chat

pytestmark = pytest.mark.rasa
ROOT = Path(__file__).resolve().parents[1]


def status(url, headers=None):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def test_http_api_is_off_by_default(servers):
    base = f"http://127.0.0.1:{servers.rasa_port}"
    assert status(f"{base}/") == 200
    for path in ("/status", "/version", "/conversations/someone/tracker", "/domain"):
        assert status(f"{base}{path}") == 404, path


def test_http_api_when_on_needs_the_token(aux_servers):
    base = f"http://127.0.0.1:{aux_servers.rasa_port}"
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
    url = f"http://127.0.0.1:{servers.rasa_port}/socket.io/?EIO=4&transport=polling"
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
