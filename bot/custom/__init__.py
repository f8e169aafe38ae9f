"""Every customisation of Rasa in one package, for the pinned Rasa version only.

Extensions through Rasa's public interfaces (named in config.yml, credentials.yml, endpoints.yml):
- ``components``: the clinical value extractor and the patient-question router (NLU components);
- ``channels``: the web chat widget channel and the Slack channel;
- ``tracker_store``: Rasa's SQL tracker store with less work per message (overrides private methods
  ``_retrieve``/``_save``-level internals: see its docstring);
- ``lock_store``: Redis locks without the ticket race of RedisLockStore (RasaHQ/rasa#9213, PR #11256).

Fixes of Rasa defects, one module each (what the defect is, how the fix is tested, what removes it):
- ``fix_action_response_schema``: the action response schema re-checked on every call (performance);
- ``fix_event_lookup``: every stored event walks the tree of event classes (performance);
- ``fix_action_json``: the tracker encoded with the standard library for every action call (performance);
- ``fix_action_server_down``: no reply at all while the action server is down (behaviour);
- ``fix_silence``: a conversation over the prediction limit stays mute for good; no reply guaranteed
  (behaviour);
- ``fix_model_load``: loading a model traces a training step of each classifier, thrown away at once
  (performance: 5 s less per start and restart);
- ``fix_fingerprints``: training fingerprints the training data after every step by writing each sparse
  feature matrix out as text (performance: about a fifth of training from nothing);
- ``fix_warm_start``: the first message of each new length traced by TensorFlow on the user's time
  (performance);
- ``fix_socketio``: socket.io ``enter_room`` not awaited (RasaHQ/rasa#13027) and custom payloads passed
  to ``emit`` as arguments (used by ``channels.WebChat``).

The fixes that replace Rasa attributes are applied explicitly, once, by :func:`apply`, which the launcher
(``python -m bot.custom …``, used by every script and test that runs Rasa) calls after
:func:`check_version`: they are written against Rasa's code of one version, so another version refuses
to start with a clear message instead of running untested replacements.
"""

from __future__ import annotations

RASA_VERSION = "3.6.21"  # the pin of pyproject.toml; every fix here was written and tested against it

_applied = False


class WrongRasaVersion(RuntimeError):
    pass


def check_version(installed: str = "") -> None:
    if not installed:
        import rasa

        installed = rasa.__version__
    if installed != RASA_VERSION:
        raise WrongRasaVersion(
            f"This assistant's Rasa customisations (bot/custom/) are written and tested for Rasa {RASA_VERSION}; "
            f"Rasa {installed} is installed. Run 'make setup' to install the pinned version, or review every "
            f"module of bot/custom/ against the new version before changing the pin in pyproject.toml."
        )


def apply() -> None:
    """Check the Rasa version, then apply every fix that replaces a Rasa attribute (idempotent)."""
    global _applied
    check_version()
    if _applied:
        return
    from . import (
        fix_action_json,
        fix_action_response_schema,
        fix_action_server_down,
        fix_event_lookup,
        fix_fingerprints,
        fix_model_load,
        fix_silence,
        fix_warm_start,
    )

    for fix in (
        fix_action_response_schema,
        fix_event_lookup,
        fix_action_json,
        fix_action_server_down,
        fix_silence,
        fix_model_load,
        fix_warm_start,
        fix_fingerprints,
    ):
        fix.apply()
    _applied = True
