"""The action server's shared secret (actions/secret.py), its check (actions/server.py) and the audit writer's
second lock, without servers; the servers themselves: tests/e2e/test_security.py, test_supervised_run.py,
test_scale.py."""

import asyncio
import os
import subprocess
import sys
import threading

import pytest
from helpers import ROOT

from actions.secret import SecretError, shared_secret
from actions.server import SharedSecretCheck
from audit import VERIFIED, AuditWriter


@pytest.fixture
def no_env_secret(monkeypatch):
    monkeypatch.delenv("ACTIONS_SECRET", raising=False)


def test_the_secret_is_generated_once_owner_only_and_then_kept(tmp_path, no_env_secret):
    path = tmp_path / "sub" / "actions.secret"
    first = shared_secret(path)
    assert len(first) >= 32 and path.stat().st_mode & 0o777 == 0o600
    assert shared_secret(path) == first  # every server of the machine reads the same one
    assert list(path.parent.iterdir()) == [path]  # no temporary file left


def test_servers_starting_at_once_agree_on_one_secret(tmp_path, no_env_secret):
    path, got, start = tmp_path / "actions.secret", [], threading.Barrier(8)

    def server():
        start.wait()
        got.append(shared_secret(path))

    threads = [threading.Thread(target=server) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 8 and len(set(got)) == 1


def test_the_environment_wins_and_a_weak_or_exposed_secret_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("ACTIONS_SECRET", "x" * 40)
    assert shared_secret(tmp_path / "s") == "x" * 40 and not (tmp_path / "s").exists()
    for weak in ("", "short", "a" * 31, "with space " * 4, 'quote"' * 8):
        monkeypatch.setenv("ACTIONS_SECRET", weak)
        with pytest.raises(SecretError, match="ACTIONS_SECRET must be"):
            shared_secret()
    monkeypatch.delenv("ACTIONS_SECRET")
    exposed = tmp_path / "exposed"
    exposed.write_text("y" * 40)
    exposed.chmod(0o644)
    with pytest.raises(SecretError, match="readable by others"):
        shared_secret(exposed)


def test_the_secret_file_is_ignored_by_git():
    out = subprocess.run(["git", "check-ignore", "-q", ".rasa/actions.secret"], cwd=ROOT)
    assert out.returncode == 0


def test_an_unusable_secret_stops_the_start_with_a_message_and_prints_nothing(tmp_path):
    env = {**os.environ, "ACTIONS_SECRET": "too-short"}
    for module in ("actions.secret", "actions.server"):
        out = subprocess.run(
            [sys.executable, "-m", module, "--port", "1"], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert out.returncode == 2 and out.stdout == "", module
        assert "ACTIONS_SECRET must be at least 32 characters" in out.stderr and "Traceback" not in out.stderr


class FakeRequest:
    def __init__(self, path="/webhook", method="POST", authorization=None):
        self.path, self.method, self.ip = path, method, "192.0.2.7"
        self.headers = {"Authorization": authorization} if authorization is not None else {}


def test_the_check_lets_only_the_secret_through_and_marks_the_call_verified():
    check = SharedSecretCheck("s" * 40)

    def status(**kw):
        async def one():
            answer = await check.check(FakeRequest(**kw))
            return (answer.status if answer else 200), VERIFIED.get()

        return asyncio.run(one())

    assert status(authorization="Bearer " + "s" * 40) == (200, True)
    for wrong in (None, "", "s" * 40, "Bearer " + "s" * 39, "Bearer " + "t" * 40, "Basic " + "s" * 40, "Bearer é"):
        assert status(authorization=wrong) == (401, False), wrong
    assert status(path="/actions", method="GET") == (401, False)  # the list of actions too
    assert status(path="/health", method="GET") == (200, False)  # the health check only says "ok"


def test_in_the_action_server_the_writer_records_only_verified_calls():
    written = []

    class Log:
        def record(self, **row):
            written.append(row)

    writer = AuditWriter(Log)
    writer.require_verified = True
    writer.submit("c1", "rest", {"dose_mg": 400}, {"assessment": "response"})  # not a checked call
    assert writer.flush() and written == [] and writer.refused == 1

    async def verified_call():
        VERIFIED.set(True)
        writer.submit("c2", "rest", {"dose_mg": 400}, {"assessment": "response"})

    asyncio.run(verified_call())
    assert writer.flush() and [r["conversation_id"] for r in written] == ["c2"]
