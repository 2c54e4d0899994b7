"""pynn.plot: pictures are written and non-empty under a non-interactive backend; matplotlib
stays out of the core. Tests that draw are skipped only when matplotlib is absent."""
import os
import subprocess
import sys

import numpy as np
import pytest

from pynn import plot

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def mpl():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    return matplotlib


def assert_png(path):
    data = path.read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 5000  # a picture, not an empty canvas


def logs(epochs=20):
    t = np.arange(epochs)
    return {"loss": list(np.exp(-t / 5)), "accuracy": list(1 - np.exp(-t / 5) / 2),
            "val_loss": list(np.exp(-t / 6) + 0.1), "val_accuracy": list(0.9 - np.exp(-t / 5) / 2)}


class FakeHistory:
    def __init__(self, history):
        self.history = history


def xor_probabilities(grid):
    """A fixed XOR classifier: P(class 1) of shape (n,)."""
    return 1 / (1 + np.exp(16 * (grid[:, 0] - 0.5) * (grid[:, 1] - 0.5)))


XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
XOR_Y = np.array([0, 1, 1, 0])


def test_history_picture_has_a_panel_per_quantity(mpl, tmp_path):
    fig = plot.plot_history(FakeHistory(logs()), tmp_path / "curves.png")
    assert_png(tmp_path / "curves.png")
    assert [ax.get_title() for ax in fig.axes] == ["loss", "accuracy"]
    assert [len(ax.lines) for ax in fig.axes] == [2, 2]  # training and validation


def test_history_dict_without_validation(mpl, tmp_path):
    fig = plot.plot_history({"loss": [1.0, 0.5, 0.2]}, tmp_path / "loss.png")
    assert_png(tmp_path / "loss.png")
    assert len(fig.axes) == 1 and len(fig.axes[0].lines) == 1


def test_history_errors(mpl):
    with pytest.raises(ValueError, match="empty"):
        plot.plot_history({})
    with pytest.raises(ValueError, match="empty"):
        plot.plot_history({"loss": []})
    with pytest.raises(TypeError, match="History"):
        plot.plot_history([0.5, 0.2])


def test_without_a_path_the_figure_is_a_pyplot_figure(mpl):
    import matplotlib.pyplot as plt
    fig = plot.plot_history(logs())
    assert plt.fignum_exists(fig.number)
    plt.close(fig)


def test_decision_boundary_of_a_callable(mpl, tmp_path):
    fig = plot.plot_decision_boundary(xor_probabilities, XOR_X, XOR_Y, tmp_path / "xor.png",
                                      resolution=50)
    assert_png(tmp_path / "xor.png")
    assert len(fig.axes) == 2  # the map and its colour bar


def test_decision_boundary_of_a_model_with_predict(mpl, tmp_path):
    class Model:
        def predict(self, x, verbose="auto"):
            assert x.dtype == np.float32 and x.shape[1] == 2 and verbose == 0
            return xor_probabilities(x)[:, None]
    plot.plot_decision_boundary(Model(), XOR_X, XOR_Y, tmp_path / "xor.png", resolution=50)
    assert_png(tmp_path / "xor.png")


def test_decision_boundary_of_several_classes(mpl, tmp_path):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 2))
    y = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0)

    def three_classes(grid):
        scores = np.stack([-grid.sum(1), np.zeros(len(grid)), grid.sum(1)], axis=1)
        return np.exp(scores) / np.exp(scores).sum(1, keepdims=True)
    plot.plot_decision_boundary(three_classes, X, y, tmp_path / "three.png", resolution=40)
    assert_png(tmp_path / "three.png")


def test_decision_boundary_errors(mpl):
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        plot.plot_decision_boundary(xor_probabilities, np.zeros((4, 3)), XOR_Y)
    with pytest.raises(ValueError, match="rows"):
        plot.plot_decision_boundary(xor_probabilities, XOR_X, XOR_Y[:3])
    with pytest.raises(TypeError, match="predict"):
        plot.plot_decision_boundary("model", XOR_X, XOR_Y)


def test_misclassified_grid(mpl, tmp_path):
    rng = np.random.default_rng(0)
    images = rng.random((50, 64))
    y_true = rng.integers(0, 10, 50)
    probs = np.eye(10)[y_true]
    probs[[3, 7, 11]] = np.eye(10)[(y_true[[3, 7, 11]] + 1) % 10]  # three wrong predictions
    fig = plot.plot_misclassified(images, y_true, probs, tmp_path / "wrong.png")
    assert_png(tmp_path / "wrong.png")
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == [f"true {y_true[i]}, pred {(y_true[i] + 1) % 10}" for i in (3, 7, 11)]


def test_misclassified_limit_and_none_wrong(mpl, tmp_path):
    images = np.zeros((40, 8, 8))
    fig = plot.plot_misclassified(images, np.zeros(40), np.ones(40), limit=12)
    assert len(fig.axes) == 12 and "first 12 shown" in fig._suptitle.get_text()
    fig = plot.plot_misclassified(images, np.zeros(40), np.zeros(40), tmp_path / "none.png")
    assert "0 of 40" in fig._suptitle.get_text()
    assert (tmp_path / "none.png").read_bytes().startswith(PNG_MAGIC)


def test_misclassified_errors(mpl):
    with pytest.raises(ValueError, match="not square"):
        plot.plot_misclassified(np.zeros((3, 10)), [0, 1, 2], [0, 1, 2])
    with pytest.raises(ValueError, match="as many"):
        plot.plot_misclassified(np.zeros((3, 4, 4)), [0, 1, 2], [0, 1])
    with pytest.raises(ValueError, match="class ids"):
        plot.plot_misclassified(np.zeros((3, 4, 4)), [0, 1, 2], [0.2, 0.7, 0.4])


def test_a_missing_matplotlib_gets_the_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # makes `import matplotlib` fail
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match=r"pip install 'pynn\[plot\]'"):
        plot.plot_history({"loss": [1.0]}, "never.png")


def test_the_core_never_imports_matplotlib(tmp_path):
    code = ("import sys, pynn, pynn.plot, pynn.keras, pynn.keras.models, pynn.keras.saving\n"
            "assert 'matplotlib' not in sys.modules, 'matplotlib was imported'\n")
    # run outside the repository, so the installed pynn is the one imported (see conftest.py)
    subprocess.run([sys.executable, "-c", code], check=True, cwd=tmp_path)


def test_decision_boundary_of_pynn_models(mpl, tmp_path):
    import pynn
    from pynn.keras.layers import Dense
    from pynn.keras.models import Sequential
    model = Sequential([Dense(4, input_dim=2, activation="relu"), Dense(1, activation="sigmoid")])
    plot.plot_decision_boundary(model, XOR_X, XOR_Y, tmp_path / "keras.png", resolution=50)
    assert_png(tmp_path / "keras.png")
    net = pynn.nn.Sequential(pynn.nn.Linear(2, 4), pynn.nn.ReLU(), pynn.nn.Linear(4, 2),
                             pynn.nn.Softmax())
    plot.plot_decision_boundary(net, XOR_X, XOR_Y, tmp_path / "nn.png", resolution=50)
    assert_png(tmp_path / "nn.png")


def test_history_of_a_real_fit(mpl, tmp_path):
    from pynn.keras.layers import Dense
    from pynn.keras.models import Sequential
    model = Sequential([Dense(4, input_dim=2, activation="relu"), Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(np.tile(XOR_X, (4, 1)), np.tile(XOR_Y, 4), epochs=5, verbose=0,
                        validation_split=0.25)
    fig = plot.plot_history(history, tmp_path / "fit.png")
    assert_png(tmp_path / "fit.png")
    assert [ax.get_title() for ax in fig.axes] == ["loss", "accuracy"]


def test_xor_example_writes_its_pictures(mpl, tmp_path):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    result = subprocess.run([sys.executable, os.path.join(root, "examples", "xor.py"), "--plot",
                             "--out", str(tmp_path / "pictures")], capture_output=True, text=True,
                            cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "wrote xor_curves.png and xor_boundary.png" in result.stdout
    for name in ("xor_curves.png", "xor_boundary.png"):
        assert_png(tmp_path / "pictures" / name)


def test_plot_model_draws_sequential_and_functional_models(mpl, tmp_path):
    from pynn import keras
    seq = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4, activation="relu"),
                            keras.layers.Dense(1, activation="sigmoid")])
    assert keras.utils.plot_model(seq, tmp_path / "seq.png", show_shapes=True) is None
    assert_png(tmp_path / "seq.png")
    inputs = keras.Input((3,), name="features")
    left = keras.layers.Dense(4, activation="relu")(inputs)
    right = keras.layers.Dense(4)(inputs)
    outputs = keras.layers.Dense(1)(keras.layers.Add()([left, right]))
    fig = plot.plot_model(keras.Model(inputs, outputs), tmp_path / "f.png", show_shapes=True,
                          show_layer_names=True, show_layer_activations=True, rankdir="LR")
    texts = [t.get_text() for t in fig.axes[0].texts if t.get_text()]
    assert len(texts) == 5 and "features (InputLayer)\noutput: (None, 3)" in texts
    assert len(fig.axes[0].texts) - len(texts) == 5  # an arrow per connection
    unbuilt = keras.Sequential([keras.layers.Dense(2), keras.layers.Dense(1)])
    keras.utils.plot_model(unbuilt, tmp_path / "u.png")
    assert_png(tmp_path / "u.png")
    with pytest.raises(ValueError, match="rankdir"):
        keras.utils.plot_model(seq, tmp_path / "x.png", rankdir="up")
