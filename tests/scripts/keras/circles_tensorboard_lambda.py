# Circles with a Lambda layer that adds the squared radius as a third feature (the trick that
# makes the classes linearly separable), and TensorBoard logging each epoch's scalars to a
# dated log folder.
import datetime
import os

import numpy as np
import keras
from keras import layers, ops
from sklearn.datasets import make_circles

keras.utils.set_random_seed(30)

X, y = make_circles(n_samples=500, noise=0.05, factor=0.4, random_state=30)
X = X.astype("float32")

inputs = keras.Input(shape=(2,))
with_radius = layers.Lambda(
    lambda t: ops.concatenate([t, ops.sum(ops.square(t), axis=1, keepdims=True)], axis=1),
    name="add_radius")(inputs)
hidden = layers.Dense(8, activation="tanh")(with_radius)
outputs = layers.Dense(1, activation="sigmoid")(hidden)
model = keras.Model(inputs, outputs)
model.summary()

log_dir = os.path.join("logs", "fit", datetime.datetime.now().strftime("%Y%m%d-%H%M%S"))
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5), loss="binary_crossentropy",
              metrics=["accuracy"])
history = model.fit(X, y, epochs=40, batch_size=32, validation_split=0.2, verbose=0,
                    callbacks=[keras.callbacks.TensorBoard(log_dir=log_dir)])

print("final validation accuracy", history.history["val_accuracy"][-1])
assert with_radius.shape == (None, 3)
assert history.history["val_accuracy"][-1] > 0.95
assert os.listdir(os.path.join(log_dir, "train"))
