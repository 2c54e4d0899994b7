"""pynn.keras.initializers: every Keras 3 name and alias, Keras's defaults and variances
(VarianceScaling's fans and truncation), seeds, orthogonal and identity matrices, floatx, and
configs that round-trip."""
import numpy as np
import pytest

from pynn import keras
from pynn.keras import backend, initializers
from pynn.keras.utils import set_random_seed

KERAS_NAMES = {  # every name keras.initializers.get takes, and the class it gives
    "Constant": "Constant", "constant": "Constant", "Zeros": "Zeros", "zeros": "Zeros",
    "zero": "Zeros", "Ones": "Ones", "ones": "Ones", "one": "Ones", "Identity": "Identity",
    "identity": "Identity", "IdentityInitializer": "Identity", "RandomNormal": "RandomNormal",
    "random_normal": "RandomNormal", "normal": "RandomNormal",
    "RandomUniform": "RandomUniform", "random_uniform": "RandomUniform",
    "uniform": "RandomUniform", "TruncatedNormal": "TruncatedNormal",
    "truncated_normal": "TruncatedNormal", "VarianceScaling": "VarianceScaling",
    "variance_scaling": "VarianceScaling", "GlorotUniform": "GlorotUniform",
    "glorot_uniform": "GlorotUniform", "GlorotNormal": "GlorotNormal",
    "glorot_normal": "GlorotNormal", "HeUniform": "HeUniform", "he_uniform": "HeUniform",
    "HeNormal": "HeNormal", "he_normal": "HeNormal", "LecunUniform": "LecunUniform",
    "lecun_uniform": "LecunUniform", "LecunNormal": "LecunNormal",
    "lecun_normal": "LecunNormal", "Orthogonal": "Orthogonal", "orthogonal": "Orthogonal",
    "OrthogonalInitializer": "Orthogonal"}


@pytest.mark.parametrize("name, cls", KERAS_NAMES.items())
def test_every_keras_name_and_alias(name, cls):
    init = initializers.get(name)
    assert type(init).__name__ == cls
    values = init((4, 3))
    assert values.shape == (4, 3) and values.dtype == np.float32


@pytest.mark.parametrize("init, mean, std, bound", [
    (initializers.RandomNormal(), 0.0, 0.05, None),
    (initializers.RandomNormal(mean=1.0, stddev=0.2), 1.0, 0.2, None),
    (initializers.RandomUniform(), 0.0, 0.05 / np.sqrt(3), 0.05),
    (initializers.TruncatedNormal(), 0.0, 0.05 * 0.87962566103423978, 0.1),
    # VarianceScaling: variance scale / fan, fans (in, out) = (400, 100) for a (400, 100) kernel
    (initializers.GlorotUniform(), 0.0, np.sqrt(2 / 500), np.sqrt(6 / 500)),
    (initializers.GlorotNormal(), 0.0, np.sqrt(2 / 500), 2 * np.sqrt(2 / 500) / 0.8796256610),
    (initializers.HeUniform(), 0.0, np.sqrt(2 / 400), np.sqrt(6 / 400)),
    (initializers.HeNormal(), 0.0, np.sqrt(2 / 400), 2 * np.sqrt(2 / 400) / 0.8796256610),
    (initializers.LecunUniform(), 0.0, np.sqrt(1 / 400), np.sqrt(3 / 400)),
    (initializers.LecunNormal(), 0.0, np.sqrt(1 / 400), 2 * np.sqrt(1 / 400) / 0.8796256610),
    (initializers.VarianceScaling(3.0, "fan_out", "untruncated_normal"), 0.0, np.sqrt(3 / 100),
     None),
    (initializers.VarianceScaling(2.0, "fan_avg", "uniform"), 0.0, np.sqrt(2 / 250),
     np.sqrt(6 / 250)),
    (initializers.VarianceScaling(distribution="normal"), 0.0, np.sqrt(1 / 400),  # truncated
     2 * np.sqrt(1 / 400) / 0.8796256610),
], ids=lambda v: repr(v) if isinstance(v, initializers.Initializer) else "")
def test_random_initializers_have_keras_distributions(init, mean, std, bound):
    values = init((400, 100)).astype(np.float64)
    assert abs(values.mean() - mean) < 0.05 * std + 1e-3
    assert abs(values.std() - std) < 0.03 * std
    if bound is not None:
        assert np.abs(values - mean).max() <= bound * (1 + 1e-6)
        assert np.abs(values - mean).max() > 0.95 * bound


def test_fans_of_vectors_and_higher_rank_shapes():
    assert initializers.compute_fans(()) == (1, 1)
    assert initializers.compute_fans((7,)) == (7, 7)
    assert initializers.compute_fans((3, 5, 4, 6)) == (60, 90)  # receptive field 15


def test_a_seeded_initializer_repeats_itself_and_an_unseeded_one_follows_set_random_seed():
    a = initializers.GlorotUniform(seed=3)
    np.testing.assert_array_equal(a((5, 4)), a((5, 4)))
    np.testing.assert_array_equal(a((5, 4)), initializers.GlorotUniform(seed=3)((5, 4)))
    assert not np.array_equal(a((5, 4)), initializers.GlorotUniform(seed=4)((5, 4)))
    set_random_seed(11)
    first = initializers.RandomNormal()((3, 3))
    set_random_seed(11)
    np.testing.assert_array_equal(first, initializers.RandomNormal()((3, 3)))
    with pytest.raises(ValueError, match="`seed` argument"):
        initializers.RandomNormal(seed="1")


def test_constant_ones_zeros_identity_and_orthogonal():
    np.testing.assert_array_equal(initializers.Constant(2.5)((2, 2)), np.full((2, 2), 2.5))
    np.testing.assert_array_equal(initializers.get("ones")(3), np.ones(3))
    np.testing.assert_array_equal(initializers.Identity(gain=2.0)((2, 3)), 2 * np.eye(2, 3))
    with pytest.raises(ValueError, match="2D matrices"):
        initializers.Identity()((2, 2, 2))
    for shape in ((6, 3), (3, 6)):
        q = initializers.Orthogonal(gain=1.5, seed=0)(shape).astype(np.float64)
        small = q.T @ q if shape[0] > shape[1] else q @ q.T
        np.testing.assert_allclose(small, 2.25 * np.eye(3), atol=1e-5)
    with pytest.raises(ValueError, match="at least two-dimensional"):
        initializers.Orthogonal()((4,))


def test_dtype_follows_floatx_or_the_argument():
    assert initializers.GlorotUniform()((2, 2), dtype="float64").dtype == np.float64
    backend.set_floatx("float64")
    try:
        assert initializers.get("he_normal")((2, 2)).dtype == np.float64
    finally:
        backend.set_floatx("float32")


def test_configs_round_trip():
    for name in initializers.ALL:
        init = initializers.get(name)
        assert initializers.serialize(init) == name
    custom = initializers.RandomUniform(-1.0, 2.0, seed=5)
    again = initializers.get(initializers.serialize(custom))
    assert isinstance(again, initializers.RandomUniform) and again.get_config() == {
        "minval": -1.0, "maxval": 2.0, "seed": 5}
    np.testing.assert_array_equal(again((3,)), custom((3,)))


@pytest.mark.parametrize("make, match", [
    (lambda: initializers.get("xavier"), "Could not interpret initializer identifier"),
    (lambda: initializers.get(3), "Could not interpret initializer identifier"),
    (lambda: initializers.get({"class_name": "Nope"}), "valid class names"),
    (lambda: initializers.VarianceScaling(scale=0.0), "scale"),
    (lambda: initializers.VarianceScaling(mode="fan_max"), "mode"),
    (lambda: initializers.VarianceScaling(distribution="cauchy"), "distribution"),
])
def test_bad_identifiers_and_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_classes_and_callables_are_taken():
    assert isinstance(initializers.get(initializers.HeNormal), initializers.HeNormal)
    fn = lambda shape, dtype=None: np.zeros(shape)  # noqa: E731
    assert initializers.get(fn) is fn and initializers.get(None) is None


def test_tensorflow_set_seed_seeds_pynn_as_a_translated_script_calls_it():
    """`import tensorflow as tf` is pointed at pynn, so tf.random.set_seed(3) must seed it."""
    import pynn as tf
    tf.random.set_seed(3)
    first = initializers.GlorotUniform()((4, 4))
    tf.random.set_seed(3)
    np.testing.assert_array_equal(first, initializers.GlorotUniform()((4, 4)))


def test_lowercase_names_are_the_classes_as_in_keras_3():
    # `from keras.initializers import glorot_uniform`, `kernel_initializer=he_normal(seed=0)`
    pairs = {"glorot_uniform": "GlorotUniform", "glorot_normal": "GlorotNormal",
             "he_uniform": "HeUniform", "he_normal": "HeNormal", "lecun_uniform": "LecunUniform",
             "lecun_normal": "LecunNormal", "random_normal": "RandomNormal",
             "random_uniform": "RandomUniform", "truncated_normal": "TruncatedNormal",
             "variance_scaling": "VarianceScaling", "orthogonal": "Orthogonal",
             "constant": "Constant", "zeros": "Zeros", "ones": "Ones", "identity": "Identity",
             "OrthogonalInitializer": "Orthogonal", "IdentityInitializer": "Identity"}
    for alias, name in pairs.items():
        assert getattr(keras.initializers, alias) is getattr(keras.initializers, name)
    layer = keras.layers.Dense(3, kernel_initializer=keras.initializers.glorot_uniform(seed=1))
    layer.build((None, 4))
    np.testing.assert_array_equal(layer.get_weights()[0],
                                  keras.initializers.GlorotUniform(seed=1)((4, 3)))
    assert keras.activations.swish is keras.activations.silu
