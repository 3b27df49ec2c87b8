"""The benign custom objects of Corpus/attacks/benign: an organisation's own registered code.

Imported by make_attacks.py when writing the files and by security_report.py before Keras loads them,
as a user would import their package before load_model.
"""
import keras


@keras.saving.register_keras_serializable(package="kconform_corpus")
class Scale(keras.layers.Layer):
    """Multiplies by a constant."""

    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, inputs):
        return inputs * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


@keras.saving.register_keras_serializable(package="kconform_corpus")
def double(x):
    """Twice the input."""
    return x * 2
