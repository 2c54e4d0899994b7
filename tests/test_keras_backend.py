"""pynn.keras.backend: floatx and set_floatx (float32 and float64: new weights, layers,
initializers and learning rates follow it), epsilon and set_epsilon (the clip of cross-entropy
probabilities), clear_session (automatic names count again)."""
import numpy as np
import pytest

from pynn import keras
from pynn.keras import backend, losses


@pytest.fixture(autouse=True)
def restore():
    yield
    backend.set_floatx("float32")
    backend.set_epsilon(1e-7)


def test_floatx_makes_float64_models_and_refuses_other_types():
    assert backend.floatx() == "float32"
    backend.set_floatx(np.float64)
    assert backend.floatx() == "float64"
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    assert model.layers[0].kernel.dtype == np.float64
    assert model.predict(np.ones((1, 3)), verbose=0).dtype == np.float64
    assert keras.optimizers.Adam().learning_rate.dtype == np.float64
    for bad in ("float16", "bfloat16", "int32"):
        with pytest.raises(ValueError, match="float32 and float64 only"):
            backend.set_floatx(bad)


def test_epsilon_is_the_clip_of_probabilities():
    assert backend.epsilon() == 1e-7
    backend.set_epsilon(1e-3)
    loss = losses.BinaryCrossentropy()(np.array([[1.0]]), np.array([[0.0]]))
    assert loss.item() == pytest.approx(-np.log(1e-3), rel=1e-5)


def test_clear_session_restarts_the_automatic_names():
    keras.layers.Dense(1)
    backend.clear_session()
    assert keras.layers.Dense(1).name == "dense"
    assert keras.layers.Dense(1).name == "dense_1"
