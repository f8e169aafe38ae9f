"""Fix: loading a model traces a whole training step of each classifier (Rasa 3.6.21, performance).

Defect: ``RasaModel.load`` builds the weights of DIET and of the response selector by training them for one
step on one example (``model.fit``), and Keras first traces that training step into a TensorFlow graph
(autograph): about 5 s per classifier, two thirds of the time a Rasa server takes to load this model. The
traced step is thrown away: the weights are loaded from the model file right after, and a loaded model
only predicts. So every start, and every restart after a crash, waited 10 s longer than it needs to.
No RasaHQ/rasa issue.
Fix: the same one step runs eagerly (no trace); it creates the same variables, the model file's weights
are loaded over them as before, and the model then predicts through its traced function as before
(``run_eagerly`` is set back to the configured value).
Tested: tests/e2e/test_model_load.py (the same weights and predictions, with and without the fix, on
a DIET model trained for the test); the load time, with and without the fix, is printed by
bench/bench_model_load.py (make bench).
Remove when: the pinned Rasa builds a loaded model's weights without training it.
"""

from __future__ import annotations

import logging
from typing import Any, Optional, Text

import tensorflow as tf
from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel

logger = logging.getLogger(__name__)
_original = RasaModel.__dict__["load"]  # the classmethod itself (not bound to RasaModel)


def load(
    cls: Any,
    model_file_name: Text,
    model_data_example: RasaModelData,
    predict_data_example: Optional[RasaModelData] = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> RasaModel:
    """``RasaModel.load`` with its one building step run eagerly (the rest as in Rasa 3.6.21)."""
    if finetune_mode:  # a model trained further keeps Rasa's own way
        return _original.__func__(cls, model_file_name, model_data_example, predict_data_example, True, *args, **kwargs)
    model = cls(*args, **kwargs)
    config = kwargs.get("config", {})
    model.compile(optimizer=tf.keras.optimizers.Adam(config.get("learning_rate", 0.001)), run_eagerly=True)
    model.fit(RasaBatchDataGenerator(model_data_example, batch_size=1), verbose=False)
    model.run_eagerly = config.get("run_eagerly")  # predictions go through the traced function again
    model.load_weights(model_file_name)
    if predict_data_example:
        model.run_inference(predict_data_example)
    return model


def apply() -> None:
    RasaModel.load = classmethod(load)
