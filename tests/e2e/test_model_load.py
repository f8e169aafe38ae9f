"""Rasa's model load with ``bot/custom/fix_model_load.py``: a small DIET is trained (TensorFlow, about 10 s, so
this is not a unit test) and loaded both ways; the weights and the predictions must be the same."""

from rasa.utils.tensorflow.models import RasaModel

import bot.custom
from bot.custom import fix_model_load

bot.custom.apply()  # what the launcher (python -m bot.custom) does before Rasa starts


def test_a_model_loaded_without_tracing_a_training_step_has_the_same_weights_and_predictions(tmp_path, monkeypatch):
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.nlu.classifiers.diet_classifier import DIETClassifier
    from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
    from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    storage, context = LocalModelStorage(tmp_path), ExecutionContext(GraphSchema({}), "test")
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    featurizer = CountVectorsFeaturizer.create(
        CountVectorsFeaturizer.get_default_config(), storage, Resource("featurizer"), context
    )
    examples = [
        ("can I reduce the dose", "reduce"),
        ("lower imatinib to 300", "reduce"),
        ("dose reduction after MMR", "reduce"),
        ("interpret a trough level", "trough"),
        ("trough 850 ng/mL at 24 h", "trough"),
        ("what does the plasma level mean", "trough"),
    ]
    data = TrainingData([Message.build(text=text, intent=intent) for text, intent in examples])
    tokenizer.process_training_data(data)
    featurizer.train(data)
    featurizer.process_training_data(data)
    config = {
        **DIETClassifier.get_default_config(),
        "epochs": 3,
        "number_of_transformer_layers": 0,
        "entity_recognition": False,
        "random_seed": 1,
    }
    DIETClassifier.create(config, storage, Resource("diet"), context).train(data)

    def load_and_predict():
        diet = DIETClassifier.load(config, storage, Resource("diet"), context)
        messages = [Message(data={"text": t}) for t in ("reduce the dose please", "trough at 23 h", "hello")]
        tokenizer.process(messages)
        featurizer.process(messages)
        diet.process(messages)
        ranking = [[(r["name"], round(r["confidence"], 6)) for r in m.get("intent_ranking")] for m in messages]
        return [w.copy() for w in diet.model.get_weights()], ranking

    assert RasaModel.load.__func__ is fix_model_load.load  # applied by bot.custom.apply()
    fixed_weights, fixed_ranking = load_and_predict()
    monkeypatch.setattr(RasaModel, "load", fix_model_load._original)
    weights, ranking = load_and_predict()
    assert fixed_ranking == ranking
    assert all((a == b).all() for a, b in zip(fixed_weights, weights, strict=True))
