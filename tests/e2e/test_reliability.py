"""Reliability: a server killed mid-form resumes the form; the action server down gets an answer."""

import signal

import pytest

from harness.servers import Chat

pytestmark = pytest.mark.rasa


def test_killed_rasa_server_resumes_the_same_form_for_the_same_sender(aux_servers):
    chat = Chat(aux_servers)
    chat.say("check after a dose reduction")
    assert "BCR-ABL1" in chat.text
    chat.say("0.15 %")
    asked = chat.text
    assert "dose" in asked.lower()
    rasa = aux_servers.procs[1]
    rasa.send_signal(signal.SIGKILL)
    rasa.wait(timeout=30)
    aux_servers.start_rasa()
    chat.say("400 mg")
    assert chat.assessment["assessment"] == "post_reduction"
    assert chat.assessment["rules_fired"], "the value given before the kill was kept"
    assert "BCR-ABL1" not in chat.text.split("\n")[0]  # not asked again


def test_action_server_down_gets_a_clear_answer_and_the_form_goes_on(aux_servers):
    chat = Chat(aux_servers)
    chat.say("check after a dose reduction")
    actions = aux_servers.procs[0]
    actions.terminate()
    actions.wait(timeout=30)
    try:
        chat.say("0.15 %")
        assert "decision service is unavailable" in chat.text
        assert len([m for m in chat.last if "unavailable" in m.get("text", "")]) == 1  # said once
        chat.say("what does MMR mean?")  # inside the form: never silence
        assert "decision service is unavailable" in chat.text
        other = Chat(aux_servers).say("what does MMR mean?")  # answers that need no action server still come
        assert "0.1" in other.text and "unavailable" not in other.text
    finally:
        aux_servers.start_actions()
    chat.say("0.15 %")
    assert "dose" in chat.text.lower()
    chat.say("400 mg")
    assert chat.assessment["assessment"] == "post_reduction"
