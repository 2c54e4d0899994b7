"""Threads: two models trained at the same time, each in its own thread, end bit for bit where
they end when trained one after the other (Keras-style fit and hand-written nn/optim loops);
no_grad() in one thread leaves another thread's graph alone; the kernels release the GIL.

The interpreter is made to switch threads every 10 microseconds while two threads run, so that
Python code of the two interleaves finely too, not only the C calls."""
import sys
import threading

import numpy as np
import pytest

import pynn
from pynn import Tensor, _kernels as kernels, functional as F, nn, no_grad, optim
from pynn.keras import optimizers
from pynn.keras.layers import Dense
from pynn.keras.models import Sequential
from pynn.keras.utils import set_random_seed


@pytest.fixture(autouse=True)
def fine_thread_switching():
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    yield
    sys.setswitchinterval(interval)


def in_threads(*jobs):
    """Run each job in its own thread, all released at once; their results, in order. An
    exception in a job is raised here."""
    results, errors = [None] * len(jobs), []
    start = threading.Barrier(len(jobs))

    def run(i):
        try:
            start.wait()
            results[i] = jobs[i]()
        except BaseException as exc:  # handed to the main thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return results


def assert_same(a, b):
    """Two results (nested lists/dicts/tuples of arrays and numbers) equal bit for bit."""
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        for key in a:
            assert_same(a[key], b[key])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            assert_same(x, y)
    else:
        np.testing.assert_array_equal(a, b, strict=True)


# ---- Keras-style fit ----------------------------------------------------------------------------

def classifier_job():
    """A binary classifier trained with Adam; returns a function that trains it and gives back
    (history, weights, predictions). The model is made now, in the calling thread."""
    set_random_seed(1)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((512, 32)).astype(np.float32)
    y = (x[:, :3].sum(axis=1) > 0).astype(np.float32)
    model = Sequential([Dense(64, input_dim=32, activation="relu"),
                        Dense(64, activation="relu"), Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])

    def train():
        history = model.fit(x, y, epochs=4, batch_size=32, validation_split=0.25, verbose=0)
        return history.history, model.get_weights(), model.predict(x, verbose=0)
    return train


def regressor_job():
    """A three-class softmax model and a regression head trained with RMSprop and SGD."""
    set_random_seed(2)
    rng = np.random.default_rng(2)
    x = rng.standard_normal((384, 16)).astype(np.float32)
    labels = np.argmax(x[:, :3], axis=1)
    softmax = Sequential([Dense(48, input_dim=16, activation="tanh"),
                          Dense(3, activation="softmax")])
    softmax.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy",
                    metrics=["accuracy"])
    regression = Sequential([Dense(32, input_dim=16, activation="sigmoid"), Dense(1)])
    regression.compile(optimizer=optimizers.SGD(learning_rate=0.05, momentum=0.9), loss="mse")

    def train():
        h1 = softmax.fit(x, labels, epochs=3, batch_size=16, verbose=0)
        h2 = regression.fit(x, x[:, 0] * 2 - x[:, 1], epochs=3, batch_size=24, verbose=0)
        return (h1.history, softmax.get_weights(), h2.history, regression.get_weights(),
                softmax.evaluate(x, labels, verbose=0))
    return train


def test_two_keras_models_trained_in_two_threads_match_the_sequential_run():
    one_after_the_other = [classifier_job()(), regressor_job()()]
    at_once = in_threads(classifier_job(), regressor_job())
    assert_same(at_once, one_after_the_other)


def test_one_model_predicting_in_two_threads():
    train = classifier_job()
    train()
    set_random_seed(3)
    model = Sequential([Dense(64, input_dim=32, activation="relu"), Dense(1)])
    batches = [np.random.default_rng(i).standard_normal((200, 32)) for i in range(2)]
    alone = [model.predict(b, batch_size=7, verbose=0) for b in batches]
    together = in_threads(*[lambda b=b: model.predict(b, batch_size=7, verbose=0)
                            for b in batches])
    assert_same(together, alone)


# ---- hand-written nn/optim loops ----------------------------------------------------------------

def nn_job(seed, make_optimizer, dtype):
    """An MLP, its optimizer and its data, made now; a function training it for 60 steps that
    returns the losses and the final parameters."""
    pynn.manual_seed(seed)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((128, 20)).astype(dtype)
    y = (x[:, :1] * x[:, 1:2] > 0).astype(dtype)
    model = nn.Sequential(nn.Linear(20, 48, dtype=dtype), nn.ReLU(),
                          nn.Linear(48, 48, dtype=dtype), nn.Tanh(),
                          nn.Linear(48, 1, dtype=dtype))
    opt = make_optimizer(model.parameters())

    def train():
        losses = []
        for step in range(60):
            rows = slice((step * 16) % 128, (step * 16) % 128 + 16)
            opt.zero_grad()
            loss = F.binary_cross_entropy_with_logits(model(x[rows]), y[rows])
            loss.backward()
            opt.step()
            losses.append(loss.item())
        return losses, [p.detach().numpy().copy() for p in model.parameters()]
    return train


NN_JOBS = [lambda: nn_job(1, lambda p: optim.Adam(p, lr=1e-2), np.float32),
           lambda: nn_job(2, lambda p: optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True),
                          np.float64),
           lambda: nn_job(3, lambda p: optim.RMSprop(p, lr=1e-3, centered=True), np.float32)]


def test_nn_optim_loops_in_threads_match_the_sequential_run():
    one_after_the_other = [make()() for make in NN_JOBS]
    at_once = in_threads(*[make() for make in NN_JOBS])
    assert_same(at_once, one_after_the_other)


def test_no_grad_in_one_thread_leaves_the_others_training():
    """While one thread evaluates under no_grad() (as a context manager and as a decorator),
    over and over, another trains: its graph is recorded and it ends where it ends alone."""
    alone = NN_JOBS[0]()()
    evaluating, stop = threading.Event(), threading.Event()
    recorded = []

    @no_grad()
    def evaluate_decorated(t):
        return (t * 2).relu()

    def evaluate():
        t = Tensor(np.ones((4, 4)), requires_grad=True)
        while not stop.is_set():
            with no_grad():
                recorded.append((t @ t).requires_grad)
            recorded.append(evaluate_decorated(t).requires_grad)
            evaluating.set()
        return pynn.is_grad_enabled()

    def train_then_stop(train):
        # Training starts once evaluation has: 60 steps can end before the other thread runs.
        evaluating.wait(timeout=10)
        try:
            return train()
        finally:
            stop.set()

    trained, grad_enabled_after = in_threads(lambda: train_then_stop(NN_JOBS[0]()), evaluate)
    assert_same(trained, alone)
    assert recorded and not any(recorded) and grad_enabled_after is True
    assert pynn.is_grad_enabled()


# ---- the GIL ------------------------------------------------------------------------------------

def test_kernels_release_the_gil():
    """With a switch interval far longer than the call, a thread holding the GIL keeps it until
    it ends, so this thread gets to run again only when the worker has finished; unless the
    worker releases the GIL, as the kernels do while they run: then this thread runs while the
    matmul is still going. (A C function that holds the GIL, such as sum(range(10**8)) in the
    worker, fails this test.)"""
    a = np.random.default_rng(0).standard_normal((1000, 1000))
    started, done = threading.Event(), threading.Event()

    def multiply():
        started.set()
        kernels.matmul(a, a, np.empty_like(a))
        done.set()

    worker = threading.Thread(target=multiply)
    sys.setswitchinterval(30.0)  # the fixture restores it
    worker.start()
    started.wait()  # returns once this thread has the GIL back
    ran_during_the_call = not done.is_set()
    worker.join()
    assert ran_during_the_call and done.is_set()
