"""The digits example's pipeline on a small slice of the data (skipped without scikit-learn)."""
import importlib.util
import os

import numpy as np
import pytest

pytest.importorskip("sklearn")

EXAMPLE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                       "examples", "digits.py")


@pytest.fixture(scope="module")
def digits():
    spec = importlib.util.spec_from_file_location("digits_example", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_data_is_scaled_and_split_80_20(digits):
    x_train, x_test, y_train, y_test = digits.load_data()
    assert (len(x_train), len(x_test)) == (1437, 360)
    assert x_train.dtype == np.float32 and x_train.shape[1] == 64
    assert x_train.min() == 0.0 and x_train.max() == 1.0
    assert set(np.unique(y_test)) == set(range(10))  # stratified: every class is tested
    again = digits.load_data()
    np.testing.assert_array_equal(again[1], x_test)  # the split's seed is fixed


def test_pipeline_learns_on_a_slice(digits):
    model, history, (x_test, y_test), accuracy = digits.train(n_samples=400, epochs=10,
                                                              verbose=0)
    assert list(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert len(x_test) == 80
    predicted = model.predict(x_test, verbose=0)
    assert predicted.shape == (80, 10)
    np.testing.assert_allclose(predicted.sum(axis=1), 1.0, rtol=1e-5)  # softmax output
    assert accuracy == pytest.approx(np.mean(predicted.argmax(axis=1) == y_test))
    assert accuracy > 0.8  # chance is 0.1; 10 epochs on 320 images reach about 0.95


def test_main_prints_the_accuracy_and_writes_the_pictures(digits, tmp_path, capsys):
    pytest.importorskip("matplotlib")
    accuracy = digits.main(["--plot", "--out", str(tmp_path), "--epochs", "2"])
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == f"test accuracy: {accuracy:.3f}"
    for name in ("digits_curves.png", "digits_misclassified.png"):
        assert (tmp_path / name).read_bytes().startswith(b"\x89PNG")
