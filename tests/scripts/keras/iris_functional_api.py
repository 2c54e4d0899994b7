# Iris with the functional API: keras.Input, layers called on tensors, keras.Model.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

tf.random.set_seed(2)

X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=2,
                                                    stratify=y)
scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)

inputs = keras.Input(shape=(4,), name="features")
x = layers.Dense(32, activation="relu")(inputs)
x = layers.Dense(16, activation="relu")(x)
outputs = layers.Dense(3, activation="softmax", name="species")(x)
model = keras.Model(inputs=inputs, outputs=outputs, name="iris_model")

model.summary()

model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01),
              loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(X_train, y_train, epochs=50, batch_size=16, verbose=0,
                    validation_data=(X_test, y_test))

results = model.evaluate(X_test, y_test, verbose=0)
print("test loss, test acc:", results)

pred = model.predict(X_test[:5], verbose=0)
print("predictions for 5 flowers:", pred.argmax(axis=1), "true:", y_test[:5])

assert len(model.layers) == 4
assert pred.shape == (5, 3)
assert history.history["val_accuracy"][-1] >= 0.85
assert results[1] >= 0.9
