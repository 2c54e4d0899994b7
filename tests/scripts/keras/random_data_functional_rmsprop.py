# A functional-API binary classifier on generated data: `from keras import Input, layers`,
# `from keras.models import Model`, trained with rmsprop.
import numpy as np
import keras
from keras import Input, layers
from keras.models import Model

keras.utils.set_random_seed(64)

x_train = np.random.random((1000, 8))
y_train = (x_train[:, :4].sum(axis=1) > x_train[:, 4:].sum(axis=1)).astype("float32")
x_val = np.random.random((200, 8))
y_val = (x_val[:, :4].sum(axis=1) > x_val[:, 4:].sum(axis=1)).astype("float32")

input_tensor = Input(shape=(8,))
x = layers.Dense(32, activation="relu")(input_tensor)
x = layers.Dense(32, activation="relu")(x)
output_tensor = layers.Dense(1, activation="sigmoid")(x)
model = Model(input_tensor, output_tensor)
model.summary()

model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=30, batch_size=64, verbose=0)
score = model.evaluate(x_val, y_val, verbose=0)
print("validation loss and accuracy:", score)

assert model.count_params() == 8 * 32 + 32 + 32 * 32 + 32 + 32 + 1
assert score[1] > 0.9
