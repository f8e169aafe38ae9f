"""``make run`` as an operator meets it: supervised servers, the JWT-protected HTTP API, a stateful fuzz of
whole conversations with servers killed, and Ctrl-C (in this order: one run serves the whole module)."""

import ipaddress
import json
import os
import time
import urllib.error
import urllib.request

import jwt
import pytest

from audit import AuditLog
from harness import fuzz
from harness.servers import SupervisedRun, cards, listeners, outside_call

pytestmark = pytest.mark.rasa

JWT_SECRET = "test-only-jwt-secret-" + os.urandom(8).hex()
CONVERSATIONS = int(os.environ.get("FUZZ_CONVERSATIONS", "300"))
SEED = int(os.environ.get("FUZZ_SEED", "20261127"))


@pytest.fixture(scope="module")
def run(model, tmp_path_factory):
    server = SupervisedRun(
        model,
        tmp_path_factory.mktemp("supervised"),
        env={"RASA_ENABLE_API": "true", "RASA_JWT_SECRET": JWT_SECRET},
    ).start()
    yield server
    server.interrupt()


# --- the HTTP API with JWT ------------------------------------------------------------------------


def api(run, path, token=None):
    req = urllib.request.Request(f"http://127.0.0.1:{run.rasa_port}{path}")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def token(username, role="user", expires_in=60, secret=JWT_SECRET):
    payload = {"user": {"username": username, "role": role}, "exp": int(time.time()) + expires_in}
    return jwt.encode(payload, secret, algorithm="HS256")


def test_the_http_api_with_jwt_refuses_missing_expired_and_forged_tokens(run):
    run.say("jwt-user", "hello")
    path = "/conversations/jwt-user/tracker"
    assert api(run, path) == 401
    assert api(run, path, token("jwt-user")) == 200
    # expired (sanic-jwt, under Rasa's API, allows 3 minutes of clock skew after "exp")
    assert api(run, path, token("jwt-user", expires_in=-600)) == 401
    assert api(run, path, token("jwt-user", secret="not-the-secret")) == 401  # forged
    assert api(run, path, token("someone-else")) == 403  # a user sees only their own conversation
    assert api(run, path, token("operator", role="admin")) == 200


# --- who can reach make run's servers -------------------------------------------------------------------


def test_make_run_listens_on_loopback_only_and_its_action_server_answers_only_its_rasa_server(run):
    found = listeners(run.pids())  # what `ss -ltn` shows of make run's processes
    assert {port for _, port in found} == {run.rasa_port, run.actions_port, run.cds_port}, found
    assert all(ipaddress.ip_address(address).is_loopback for address, _ in found), found
    started = run.output.read_text()
    assert f"chat (Rasa) on 127.0.0.1:{run.rasa_port} (this machine only; RASA_HOST opens it" in started
    assert f"action server on 127.0.0.1:{run.actions_port} (this machine only; answers only the Rasa" in started
    secret = run.workdir / "actions.secret"  # generated on first run, owner-only
    assert secret.stat().st_mode & 0o777 == 0o600
    audit = AuditLog(run.audit_db)
    before = audit.count()
    assert outside_call(f"http://127.0.0.1:{run.actions_port}")[0] == 401
    assert audit.count() == before
    # with the secret (sent by the Rasa server) a normal conversation gets its recommendation, and its row
    sender = "supervised-secret"
    run.say(
        sender,
        "can I reduce the dose? 400 mg for 5 years, BCR-ABL 0.008 %, MMR 30 months, grade 2 oedema, wants a lower dose",
    )
    run.say(sender, "never misses")
    reply = run.say(sender, "no")
    assert cards(reply), reply
    assert audit.count() == before + 1 and audit.rows()[-1]["channel"] == "rest"


# --- supervision ----------------------------------------------------------------------------------


def test_a_killed_action_server_is_started_again_and_rasa_answers_meanwhile(run):
    sender = "supervised-actions"
    assert "BCR-ABL1" in " ".join(m.get("text", "") for m in run.say(sender, "can I reduce the dose?"))
    killed = run.kill("actions")
    faq = run.say("supervised-other", "what does MMR mean?")  # needs no action server: the model's own answer
    assert "0.1" in faq[0]["text"] and "unavailable" not in faq[0]["text"]
    down = run.say(sender, "0.008 %")
    assert down and all("unavailable" in m.get("text", "") for m in down)
    seconds = run.wait_up("actions")
    assert run.pid("actions") != killed
    after = " ".join(m.get("text", "") for m in run.say(sender, "0.008 %"))
    assert "MMR" in after, "the form goes on from where it was"
    log = run.supervisord_log()
    assert f"exited: {run.by_role['actions'].name} (terminated by SIGKILL; not expected)" in log
    assert log.count(f"spawned: '{run.by_role['actions'].name}'") >= 2
    print(f"\naction server back {seconds:.1f} s after kill -9")


def test_a_killed_rasa_server_is_started_again_and_the_conversation_goes_on(run):
    sender = "supervised-rasa"
    assert "BCR-ABL1" in run.say(sender, "check after a dose reduction")[0]["text"]
    asked = run.say(sender, "0.15 %")
    assert "dose before the reduction" in asked[-1]["text"], asked
    run.kill("rasa")
    time.sleep(1)
    seconds = run.wait_up("rasa")
    reply = run.say(sender, "400 mg")
    payload = next(iter(cards(reply)), reply)
    assert payload["assessment"]["assessment"] == "post_reduction"
    assert f"exited: {run.by_role['rasa'].name} (terminated by SIGKILL; not expected)" in run.supervisord_log()
    print(f"\nRasa server back {seconds:.0f} s after kill -9")


# --- the stateful fuzz ----------------------------------------------------------------------------


def test_conversations_with_servers_killed_never_go_silent(run):
    print(f"\nfuzz: seed {SEED} (replay: FUZZ_SEED={SEED} FUZZ_CONVERSATIONS={CONVERSATIONS})")
    report = fuzz.run(run, SEED, CONVERSATIONS)
    print(report.summary())
    assert not report.failures, "\n".join(report.failures[:20])
    assert report.conversations == CONVERSATIONS and report.kills["rasa"] >= 1 and report.kills["actions"] >= 1
    audit = fuzz.audit_counts(run, list(report.recommendations))
    wrong = {s: (n, audit.get(s, 0)) for s, n in report.recommendations.items() if audit.get(s, 0) != n}
    assert not wrong, f"recommendations shown vs audit rows: {list(wrong.items())[:5]}"
    assert sum(report.recommendations.values()) >= CONVERSATIONS // 5, "the conversations reach recommendations"
    longest = fuzz.longest_turns(run, f"fuzz-{SEED}-")
    assert longest and max(longest.values()) < 10, "no message ran into the prediction limit"


# --- Ctrl-C (last: it stops the run) ------------------------------------------------------------------


def test_the_cds_hooks_service_is_served_and_restarted_too(run):
    url = f"http://127.0.0.1:{run.cds_port}/cds-services"
    with urllib.request.urlopen(url, timeout=10) as r:
        assert {s["hook"] for s in json.loads(r.read())["services"]} >= {"patient-view", "order-sign"}
    killed = run.kill("cds")
    run.wait_up("cds")
    assert run.pid("cds") != killed  # a new process serves
    with urllib.request.urlopen(url, timeout=10) as r:
        assert r.status == 200
    assert f"exited: {run.by_role['cds'].name} (terminated by SIGKILL; not expected)" in run.supervisord_log()


def test_ctrl_c_stops_every_server_with_status_0(run):
    pids = [run.pid("rasa"), run.pid("actions"), run.pid("cds"), run.supervisor.rpc().getPID()]
    assert run.interrupt() == 0
    time.sleep(1)
    alive = [p for p in pids if os.path.exists(f"/proc/{p}") and "Z" not in open(f"/proc/{p}/stat").read().split()[2]]
    assert not alive, f"still running after Ctrl-C: {alive}"
