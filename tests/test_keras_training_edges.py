"""Training edges a script can reach (issue 12's Keras items): a model changed by a callback
mid-fit, a trainable flag changed after compile, NumPy scalars as hyperparameters, an output
that cannot learn, and the accuracy fit reports against what predict() returns."""
import warnings

import numpy as np
import pytest

from pynn.keras import Input, callbacks, optimizers
from pynn.keras.layers import Dense
from pynn.keras.models import Sequential, load_model
from pynn.keras.utils import set_random_seed

rng = np.random.default_rng(0)
X = rng.standard_normal((40, 3)).astype(np.float32)
Y = (X.sum(axis=1) > 0).astype(np.float32)


def classifier(**compile_args):
    set_random_seed(0)
    model = Sequential([Input(shape=(3,)), Dense(8, activation="relu"),
                        Dense(1, activation="sigmoid")])
    model.compile(**{"optimizer": "adam", "loss": "binary_crossentropy",
                     "metrics": ["accuracy"], **compile_args})
    return model


class Edit(callbacks.Callback):
    """Changes the model at the end of the first epoch, as a callback can."""

    def __init__(self, change):
        super().__init__()
        self.change = change

    def on_epoch_end(self, epoch, logs=None):
        if epoch == 0:
            self.change(self.model)


@pytest.mark.parametrize("run_eagerly", [False, True])
@pytest.mark.parametrize("change", [
    lambda m: m.pop(),
    lambda m: m.add(Dense(1, activation="sigmoid")),
    lambda m: m.compile(optimizer="sgd", loss="binary_crossentropy"),
], ids=["pop", "add", "recompile"])
def test_a_model_changed_by_a_callback_mid_fit_is_refused(change, run_eagerly):
    """(a) fit was set up (compiled step, optimizer, losses) for the model it started with:
    a layer added or removed, or compile() called again, by a callback is refused at the next
    batch, compiled step or not, never silently trained as the old model."""
    model = classifier(run_eagerly=run_eagerly)
    with pytest.raises(RuntimeError, match="changed during fit.*compile\\(\\) and fit\\(\\) "
                                           "again"):
        model.fit(X, Y, epochs=3, verbose=0, callbacks=[Edit(change)])


def test_stopping_then_changing_the_model_then_fitting_again_works():
    model = classifier()
    model.fit(X, Y, epochs=1, verbose=0)
    model.pop()
    model.add(Dense(1, activation="sigmoid"))
    model.compile(optimizer="adam", loss="binary_crossentropy")
    assert model.fit(X, Y, epochs=2, verbose=0).history["loss"][1] < 1


def test_a_trainable_change_after_fit_asks_for_compile_again():
    """(b) the optimizer was built for the weights trained before: Keras's warning, then a
    message saying to compile again (not one blaming another model)."""
    model = classifier()
    model.fit(X, Y, epochs=1, verbose=0)
    model.layers[0].trainable = False
    with pytest.warns(UserWarning, match="trainable` state has changed since the model was "
                                         "compiled.*Changed layers: \\['dense"):
        with pytest.raises(ValueError, match="call `model.compile\\(...\\)` again with a new "
                                             "optimizer") as caught:
            model.fit(X, Y, epochs=1, verbose=0)
    assert "another model" not in str(caught.value)
    frozen = model.layers[0].get_weights()
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(X, Y, epochs=2, verbose=0)
    for a, b in zip(frozen, model.layers[0].get_weights()):
        np.testing.assert_array_equal(a, b)  # trained no more


def test_a_trainable_change_before_the_first_fit_takes_effect():
    """The optimizer is built at the first fit, as in Keras: a layer frozen between compile()
    and fit() stays as it was (with Keras's warning)."""
    model = classifier()
    before = model.layers[0].get_weights()
    model.layers[0].trainable = False
    with pytest.warns(UserWarning, match="Please recompile your model"):
        model.fit(X, Y, epochs=2, verbose=0)
    for a, b in zip(before, model.layers[0].get_weights()):
        np.testing.assert_array_equal(a, b)


def test_one_optimizer_is_refused_by_a_second_model():
    opt = optimizers.Adam()
    classifier(optimizer=opt).fit(X, Y, verbose=0)
    with pytest.raises(ValueError, match="another model"):
        classifier(optimizer=opt).fit(X, Y, verbose=0)


@pytest.mark.parametrize("make", [
    lambda: optimizers.Adam(learning_rate=np.float64(0.01), beta_1=np.float32(0.8)),
    lambda: optimizers.RMSprop(learning_rate=0.01, rho=np.float32(0.8)),
])
def test_numpy_scalar_hyperparameters_save_and_load(make, tmp_path):
    """(c) np.float32(0.8) as a hyperparameter, as scripts pass it where Keras takes it, is
    saved as the number it holds."""
    model = classifier(optimizer=make())
    model.fit(X, Y, epochs=2, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    assert loaded.compiled
    np.testing.assert_array_equal(loaded.predict(X, verbose=0), model.predict(X, verbose=0))
    more = loaded.fit(X, Y, epochs=1, verbose=0, shuffle=False).history["loss"]
    again = model.fit(X, Y, epochs=1, verbose=0, shuffle=False).history["loss"]
    assert more == again


@pytest.mark.parametrize("activation, loss", [("softmax", "categorical_crossentropy"),
                                              ("softmax", "binary_crossentropy"),
                                              ("sigmoid", "categorical_crossentropy")])
def test_an_output_that_cannot_learn_is_named(activation, loss):
    """(d) a softmax or categorical cross-entropy over one unit is constant: the loss never
    moves. fit warns and names the fix."""
    model = Sequential([Input(shape=(3,)), Dense(4, activation="relu"),
                        Dense(1, activation=activation)])
    model.compile(optimizer="adam", loss=loss)
    with pytest.warns(UserWarning, match="1 unit.*learns nothing.*activation='sigmoid'.*"
                                         "binary_crossentropy"):
        model.fit(X, Y, epochs=1, verbose=0)


def test_a_sigmoid_output_with_binary_cross_entropy_is_not_warned_about():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        classifier().fit(X, Y, epochs=1, verbose=0)


@pytest.mark.parametrize("run_eagerly", [False, True])
def test_the_reported_accuracy_is_that_of_the_predictions(run_eagerly):
    """(e) the loss is computed from the logits, but the accuracy fit and evaluate report is
    that of what predict() returns: a logit of 1e-9 is a probability of exactly 0.5 in float32,
    not above the threshold, so a target of 1 is missed, as Keras counts it."""
    model = Sequential([Input(shape=(1,)), Dense(1, activation="sigmoid")])
    model.set_weights([np.array([[1e-9]], np.float32), np.zeros(1, np.float32)])
    model.compile(optimizer=optimizers.SGD(learning_rate=0.0), loss="binary_crossentropy",
                  metrics=["accuracy"], run_eagerly=run_eagerly)
    x, y = np.ones((4, 1), np.float32), np.ones(4, np.float32)
    assert (model.predict(x, verbose=0) == 0.5).all()
    history = model.fit(x, y, epochs=1, verbose=0)
    assert history.history["accuracy"] == [0.0]
    assert model.evaluate(x, y, verbose=0)[1] == 0.0
    assert model.train_on_batch(x, y)[1] == 0.0


def test_the_reported_accuracy_matches_predict_on_a_trained_model():
    model = classifier()
    history = model.fit(X, Y, epochs=1, batch_size=len(X), verbose=0, shuffle=False)
    # the epoch's accuracy is measured on the outputs before its one update
    loss, accuracy = model.evaluate(X, Y, verbose=0)
    p = model.predict(X, verbose=0)
    assert accuracy == np.mean((p[:, 0] > 0.5) == Y)
    assert 0 <= history.history["accuracy"][0] <= 1
