# Wine with the loss and the metric given as functions rather than names, the optimizer
# named 'Adam' with a capital letter, a separate softmax Activation layer, and
# evaluate(return_dict=True). The Dense import is the one IDE autocompletion suggests.
import numpy as np
import keras
from keras import Sequential
from keras.src.layers import Dense, Activation
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

keras.utils.set_random_seed(19)

X, y = load_wine(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y,
                                                    random_state=19)
scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)

model = Sequential([
    Dense(16, activation="relu"),
    Dense(3),
    Activation("softmax"),
])
model.compile(optimizer="Adam",
              loss=keras.losses.sparse_categorical_crossentropy,
              metrics=[keras.metrics.sparse_categorical_accuracy])
history = model.fit(X_train, y_train, epochs=60, batch_size=8, verbose=0)
print(list(history.history))

results = model.evaluate(X_test, y_test, verbose=0, return_dict=True)
print(results)

probs = model.predict(X_test, batch_size=64, verbose=0)
print("rows sum to one:", np.allclose(probs.sum(axis=1), 1, atol=1e-5))

assert set(results) == {"loss", "sparse_categorical_accuracy"}
assert "sparse_categorical_accuracy" in history.history
assert results["sparse_categorical_accuracy"] > 0.9
assert probs.shape == (len(X_test), 3)
