"""XOR with `import keras as k`, a Sequential built from a list, Adam given a
learning rate positionally, and predictions thresholded at 0.5."""
import numpy as np
import keras as k

k.utils.set_random_seed(11)

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
y = np.array([0, 1, 1, 0])

model = k.Sequential([
    k.layers.Dense(8, activation="relu", input_shape=(2,)),
    k.layers.Dense(8, activation="relu"),
    k.layers.Dense(1, activation="sigmoid"),
])

model.compile(optimizer=k.optimizers.Adam(0.02), loss="binary_crossentropy",
              metrics=["accuracy"])
model.fit(X, y, epochs=400, batch_size=4, verbose=0)

probabilities = model.predict(X, verbose=0)
labels = (probabilities > 0.5).astype("int32")
print(probabilities.ravel())
print(labels.ravel())

assert probabilities.shape == (4, 1)
assert labels.ravel().tolist() == [0, 1, 1, 0]
