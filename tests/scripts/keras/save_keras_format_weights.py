"""Save and restore in the Keras 3 ways: model.save('model.keras') with
keras.models.load_model, model.save_weights('....weights.h5') with load_weights, and
get_weights/set_weights to copy weights between two models of the same shape."""
import numpy as np
import keras
from keras import layers
from sklearn.datasets import make_moons

keras.utils.set_random_seed(5)

X, y = make_moons(n_samples=400, noise=0.15, random_state=5)


def build_model():
    model = keras.Sequential([
        keras.Input(shape=(2,)),
        layers.Dense(16, activation="relu"),
        layers.Dense(16, activation="relu"),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01),
                  loss="binary_crossentropy", metrics=["accuracy"])
    return model


model = build_model()
model.fit(X, y, epochs=50, batch_size=16, verbose=0)
reference = model.predict(X, verbose=0)

model.save("model.keras")
restored = keras.models.load_model("model.keras")
assert np.allclose(restored.predict(X, verbose=0), reference, atol=1e-6)

model.save_weights("model.weights.h5")
fresh = build_model()
fresh.load_weights("model.weights.h5")
assert np.allclose(fresh.predict(X, verbose=0), reference, atol=1e-6)

copy = build_model()
copy.set_weights(model.get_weights())
assert np.allclose(copy.predict(X, verbose=0), reference, atol=1e-6)

weights = model.get_weights()
print([w.shape for w in weights])
assert [w.shape for w in weights] == [(2, 16), (16,), (16, 16), (16,), (16, 1), (1,)]

_, acc = restored.evaluate(X, y, verbose=0)
print("accuracy of the restored model:", acc)
assert acc > 0.9
