"""pynn.keras.regularizers and constraints: Keras 3's penalties and projections (written out
here in float64 NumPy), gradchecked penalties, names (Keras's, 'l1l2' but not 'l1_l2'),
defaults, argument checks and configs."""
import numpy as np
import pytest

import pynn
from pynn.keras import constraints, regularizers

W = np.random.default_rng(0).standard_normal((5, 3))


@pytest.mark.parametrize("reg, formula", [
    (regularizers.l1(0.1), lambda w: 0.1 * np.abs(w).sum()),
    (regularizers.l2(0.1), lambda w: 0.1 * np.square(w).sum()),
    (regularizers.l1_l2(0.1, 0.2), lambda w: 0.1 * np.abs(w).sum() + 0.2 * np.square(w).sum()),
    (regularizers.L1(), lambda w: 0.01 * np.abs(w).sum()),
    (regularizers.L2(), lambda w: 0.01 * np.square(w).sum()),
    (regularizers.L1L2(), lambda w: 0.0 * w.sum()),
    (regularizers.get("l2"), lambda w: 0.01 * np.square(w).sum()),
    (regularizers.OrthogonalRegularizer(0.1),
     lambda w: _orthogonal(w / np.linalg.norm(w, axis=1, keepdims=True), 0.1)),
    (regularizers.OrthogonalRegularizer(0.1, mode="columns"),
     lambda w: _orthogonal((w / np.linalg.norm(w, axis=0, keepdims=True)).T, 0.1)),
], ids=repr)
def test_penalties_are_keras_formulas_and_gradcheck(reg, formula):
    got = reg(pynn.tensor(W))
    assert got.shape == () and got.dtype == pynn.float64
    np.testing.assert_allclose(got.item(), formula(W), rtol=1e-12, atol=1e-15)
    assert pynn.gradcheck(reg, [pynn.tensor(W, requires_grad=True)])


def _orthogonal(rows, factor):
    product = rows @ rows.T
    n = len(rows)
    return factor * 0.5 * np.abs(product * (1 - np.eye(n))).sum() / (n * (n - 1) / 2)


def test_names_and_defaults_as_keras_3():
    assert type(regularizers.get("l1")) is regularizers.L1
    assert type(regularizers.get("L1L2")) is regularizers.L1L2
    assert regularizers.get("l1l2").get_config() == {"l1": 0.0, "l2": 0.0}
    assert regularizers.get("l2").get_config() == {"l2": 0.01}
    with pytest.raises(ValueError, match="Could not interpret regularizer identifier: 'l1_l2'"):
        regularizers.get("l1_l2")  # Keras 3 knows the function, not the string
    assert regularizers.get(None) is None
    assert type(regularizers.get(regularizers.L2)) is regularizers.L2


def test_configs_round_trip():
    for reg in (regularizers.L1(0.3), regularizers.L1L2(0.1, 0.2),
                regularizers.OrthogonalRegularizer(0.5, "columns")):
        again = regularizers.get(regularizers.serialize(reg))
        assert type(again) is type(reg) and again.get_config() == reg.get_config()


@pytest.mark.parametrize("make", [lambda: regularizers.l2(-0.1), lambda: regularizers.l1("x"),
                                  lambda: regularizers.L1L2(l1=float("nan")),
                                  lambda: regularizers.OrthogonalRegularizer(mode="diagonal"),
                                  lambda: regularizers.get(5)])
def test_bad_arguments(make):
    with pytest.raises(ValueError):
        make()


def test_orthogonal_regularizer_needs_a_matrix():
    with pytest.raises(ValueError, match="rank 2"):
        regularizers.OrthogonalRegularizer()(pynn.tensor(np.ones(3)))


def keras_norms(w, axis=0):
    return np.sqrt(np.sum(w * w, axis=axis, keepdims=True))


@pytest.mark.parametrize("constraint, formula", [
    (constraints.MaxNorm(1.5), lambda w: w * np.clip(keras_norms(w), 0, 1.5)
     / (1e-7 + keras_norms(w))),
    (constraints.MaxNorm(1.0, axis=1), lambda w: w * np.clip(keras_norms(w, 1), 0, 1.0)
     / (1e-7 + keras_norms(w, 1))),
    (constraints.NonNeg(), lambda w: np.maximum(w, 0)),
    (constraints.UnitNorm(), lambda w: w / (1e-7 + keras_norms(w))),
    (constraints.MinMaxNorm(0.5, 1.0, rate=0.7), lambda w: w * (
        0.7 * np.clip(keras_norms(w), 0.5, 1.0) + 0.3 * keras_norms(w)) / (1e-7 + keras_norms(w))),
], ids=lambda v: type(v).__name__ if isinstance(v, constraints.Constraint) else "")
def test_constraints_are_keras_formulas(constraint, formula):
    np.testing.assert_allclose(constraint(W).numpy(), formula(W), rtol=1e-12)
    again = constraints.get(constraints.serialize(constraint))
    assert type(again) is type(constraint) and again.get_config() == constraint.get_config()


def test_constraint_names():
    for name, cls in [("max_norm", constraints.MaxNorm), ("MaxNorm", constraints.MaxNorm),
                      ("non_neg", constraints.NonNeg), ("unit_norm", constraints.UnitNorm),
                      ("min_max_norm", constraints.MinMaxNorm)]:
        assert type(constraints.get(name)) is cls
    with pytest.raises(ValueError, match="Could not interpret constraint identifier"):
        constraints.get("maxnorm")
