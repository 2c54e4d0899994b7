# Train on iris, save the whole model to an HDF5 file with model.save('....h5'), load it
# back with load_model, and check that the loaded model predicts the same.
import numpy as np
from sklearn import datasets
import tensorflow as tf
from tensorflow.keras.models import Sequential, load_model
from tensorflow.keras.layers import Dense, Dropout

tf.random.set_seed(64)

iris = datasets.load_iris()
in_size = 4
nb_classes = 3
x = (iris.data - iris.data.mean(axis=0)) / iris.data.std(axis=0)
y = tf.keras.utils.to_categorical(iris.target, nb_classes)

model = Sequential()
model.add(Dense(64, activation="relu", input_shape=(in_size,)))
model.add(Dropout(0.2))
model.add(Dense(nb_classes, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(x, y, batch_size=20, epochs=50, verbose=0)

model.save("iris_model.h5")
print("saved")

loaded = load_model("iris_model.h5")
before = model.predict(x, verbose=0)
after = loaded.predict(x, verbose=0)
print("largest difference:", np.abs(before - after).max())

loss, acc = loaded.evaluate(x, y, verbose=0)
print("loaded model accuracy:", acc)

assert np.allclose(before, after, atol=1e-6)
assert acc > 0.9
