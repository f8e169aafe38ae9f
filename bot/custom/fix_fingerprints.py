"""Fix: training fingerprints the whole training data after every step, slowly (Rasa 3.6.21, performance).

Defect: Rasa's training cache fingerprints the output of every node of the training graph. For the NLU
nodes that output is the training data: every message with its tokens and features. A sparse feature
matrix is first written out as text, one formatted line per value (``sparse_matrix_to_string``), and
every token is hashed as five separately hashed parts joined and hashed again. In a py-spy profile of
our training from nothing, fingerprinting was a third of the training process's Python time (about 30 s
of 150 s). No RasaHQ/rasa issue was found.
Fix: the same content hashed in one pass: a sparse matrix's shape, type and coordinate arrays as bytes
(with the features' type, origin and attribute, as Rasa's); a token's text, offsets, lemma and data as
one JSON text (a token whose data JSON cannot hold goes Rasa's way). The fingerprints are as stable as
Rasa's (content only) and change with any value; they are not Rasa's strings, so the entries of a cache
written without the fix are not found and those components train again, once.
Tested: tests/unit/bot/test_rasa_fixes.py (equal content, equal fingerprint; any changed value, shape,
type, origin, offset or token datum, another fingerprint).
Remove when: Rasa hashes features without formatting them.
"""

from __future__ import annotations

import json
from hashlib import md5
from typing import Text

from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.training_data.features import Features

_original_features = Features.fingerprint
_original_token = Token.fingerprint


def features_fingerprint(self: Features) -> Text:
    if self._cached_fingerprint is None:
        if self.is_dense():
            self._cached_fingerprint = _original_features(self)  # already bytes, not text
        else:
            coo = self.features.tocoo()
            digest = md5(json.dumps([self.type, self.origin, self.attribute, coo.shape, str(coo.dtype)]).encode())
            for array in (coo.row, coo.col, coo.data):
                digest.update(array.tobytes())
            self._cached_fingerprint = digest.hexdigest()
    return self._cached_fingerprint


def token_fingerprint(self: Token) -> Text:
    try:
        text = json.dumps([self.text, self.start, self.end, self.lemma, self.data], sort_keys=True)
    except (TypeError, ValueError):
        return _original_token(self)
    return md5(text.encode()).hexdigest()  # nosec: a fingerprint, not a secret


def apply() -> None:
    Features.fingerprint = features_fingerprint
    Token.fingerprint = token_fingerprint
