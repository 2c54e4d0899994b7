"""Beyond XOR: handwritten digits with pynn's Keras-style API.

scikit-learn's bundled 8x8 digits (1797 images, no download), pixels scaled to [0, 1], split
80/20 with a fixed seed; a 64-128-10 MLP with a softmax output, trained on mini-batches with
sparse categorical cross-entropy, a validation split and early stopping.

    pip install '.[examples]'            # scikit-learn, for the data
    python examples/digits.py            # a few seconds; ends with "test accuracy: 0.9xx"
    pip install '.[examples,plot]'
    python examples/digits.py --plot     # also writes digits_curves.png, digits_misclassified.png
"""
import argparse
import os
import time

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from pynn.keras.callbacks import EarlyStopping
from pynn.keras.layers import Dense
from pynn.keras.models import Sequential
from pynn.keras.utils import set_random_seed


def load_data(n_samples=None, seed=0):
    """(x_train, x_test, y_train, y_test): pixels scaled from 0..16 to [0, 1], integer labels,
    an 80/20 split stratified by class. n_samples takes the first rows only (for quick tests)."""
    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    y = digits.target
    if n_samples is not None:
        x, y = x[:n_samples], y[:n_samples]
    return train_test_split(x, y, test_size=0.2, random_state=seed, stratify=y)


def build_model():
    model = Sequential([
        Dense(128, activation="relu", input_shape=(64,)),
        Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def train(n_samples=None, epochs=100, seed=0, verbose="auto"):
    """Train on the digits; returns (model, history, (x_test, y_test), test accuracy)."""
    set_random_seed(seed)
    x_train, x_test, y_train, y_test = load_data(n_samples, seed)
    model = build_model()
    stop = EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)
    history = model.fit(x_train, y_train, batch_size=32, epochs=epochs, validation_split=0.1,
                        callbacks=[stop], verbose=verbose)
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    return model, history, (x_test, y_test), accuracy


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plot", action="store_true",
                        help="write training curves and misclassified digits as PNG files")
    parser.add_argument("--out", default=".", help="folder for the PNG files (default: here)")
    parser.add_argument("--epochs", type=int, default=100, help="most epochs (early stopping)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    model, history, (x_test, y_test), accuracy = train(epochs=args.epochs, seed=args.seed)
    print(f"trained {len(history.history['loss'])} epochs in {time.perf_counter() - start:.1f} s")
    if args.plot:
        from pynn.plot import plot_history, plot_misclassified
        os.makedirs(args.out, exist_ok=True)
        curves = os.path.join(args.out, "digits_curves.png")
        wrong = os.path.join(args.out, "digits_misclassified.png")
        plot_history(history, curves)
        plot_misclassified(x_test, y_test, model.predict(x_test, verbose=0), wrong)
        print(f"wrote {curves} and {wrong}")
    print(f"test accuracy: {accuracy:.3f}")
    return accuracy


if __name__ == "__main__":
    main()
