"""The supervisor's configuration (harness/supervise.py); the supervised servers themselves are tested in
tests/e2e/test_supervised_run.py."""

import configparser
from pathlib import Path

import pytest

from harness.supervise import Program, cluster_programs, config, listening, run_programs


def test_make_run_supervises_an_action_server_a_rasa_server_and_the_cds_service_per_port(tmp_path):
    env = {"MODEL": "m", "RASA_PORT": "5105", "ACTIONS_PORT": "5155", "CDS_PORT": "5175", "LOG_DIR": str(tmp_path)}
    actions, rasa, cds = run_programs(env)
    assert cds.name == "cds-5175" and cds.health == "http://127.0.0.1:5175/health"
    assert cds.env["CDS_CHAT_URL"] == "http://localhost:5105/webhooks/webchat/ui/"  # cards link to this chat
    assert actions.name == "actions-5155" and actions.health == "http://127.0.0.1:5155/health"
    assert rasa.name == "rasa-5105" and rasa.env["ACTIONS_URL"] == "http://127.0.0.1:5155/webhook"
    assert rasa.log == tmp_path / "rasa-5105.log" and actions.log == tmp_path / "actions-5155.log"


def test_every_server_listens_on_loopback_unless_rasa_host_or_actions_host_says_otherwise(tmp_path):
    env = {"MODEL": "m", "RASA_PORT": "5105", "ACTIONS_PORT": "5155", "CDS_PORT": "5175", "LOG_DIR": str(tmp_path)}
    actions, rasa, cds = run_programs(env)
    assert actions.command[1:4] == ["-m", "actions.server", "--actions"]  # the server that checks the secret
    assert actions.env["ACTIONS_HOST"] == rasa.env["RASA_HOST"] == "127.0.0.1"
    lines = listening([actions, rasa, cds])
    assert "chat (Rasa) on 127.0.0.1:5105 (this machine only; RASA_HOST opens it" in lines
    assert "action server on 127.0.0.1:5155 (this machine only; answers only the Rasa servers" in lines
    assert "CDS Hooks on 127.0.0.1:5175 (this machine only)" in lines

    actions, rasa, cds = run_programs({**env, "RASA_HOST": "0.0.0.0"})
    assert rasa.env["RASA_HOST"] == "0.0.0.0" and actions.env["ACTIONS_HOST"] == "127.0.0.1"
    assert rasa.health == "http://127.0.0.1:5105/"  # the supervisor still reaches it on loopback
    assert "chat (Rasa) on 0.0.0.0:5105 (RASA_HOST=0.0.0.0: reachable from the network" in listening([rasa])

    cluster = cluster_programs({**env, "RASA_PORTS": "5005", "ACTIONS_PORTS": "5055", "ACTIONS_HOST": "10.0.0.5"})
    assert (
        cluster[1].env["ACTIONS_URL"] == "http://10.0.0.5:5055/webhook" and cluster[0].env["ACTIONS_HOST"] == "10.0.0.5"
    )
    assert "action server on 10.0.0.5:5055 (ACTIONS_HOST=10.0.0.5: other machines" in listening(cluster)


def test_a_cluster_pairs_each_rasa_server_with_an_action_server(tmp_path):
    env = {"MODEL": "m", "RASA_PORTS": "5005 5006 5007", "ACTIONS_PORTS": "5055 5056", "CLUSTER_DIR": str(tmp_path)}
    rasa = [p for p in cluster_programs(env) if p.name.startswith("rasa-")]
    assert [p.env["ACTIONS_URL"] for p in rasa] == [
        "http://127.0.0.1:5055/webhook",
        "http://127.0.0.1:5056/webhook",
        "http://127.0.0.1:5055/webhook",
    ]


def test_the_configuration_restarts_unexpected_exits_and_escapes_values(tmp_path):
    program = Program("rasa-1", ["/bin/echo", "50%"], tmp_path / "r.log", "http://x/", env={"URL": "redis://:p%w@h"})
    text = config([program], tmp_path, tmp_path / "s.log", "u", "pw")
    parsed = configparser.ConfigParser(interpolation=None)
    parsed.read_string(text)
    section = parsed["program:rasa-1"]
    assert section["autorestart"] == "unexpected" and int(section["startretries"]) >= 3
    assert section["command"] == "/bin/echo 50%%"  # supervisord expands %(…)s: a literal % is doubled
    assert section["environment"] == 'URL="redis://:p%%w@h"'
    assert parsed["supervisord"]["nodaemon"] == "true"
    assert parsed["unix_http_server"]["password"] == "pw"  # the control socket is not open to anyone


def test_a_value_that_cannot_be_written_safely_is_refused(tmp_path):
    program = Program("x", ["/bin/true"], tmp_path / "x.log", "http://x/", env={"A": 'say "hi"'})
    with pytest.raises(ValueError, match="unsupported character"):
        config([program], Path(tmp_path), tmp_path / "s.log", "u", "pw")
