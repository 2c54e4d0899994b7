"""Wine with ReduceLROnPlateau: the learning rate is halved whenever the validation loss
stops improving; Keras records the rate of each epoch in the history."""
import numpy as np
import keras
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

keras.utils.set_random_seed(3)

X, y = load_wine(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y,
                                                    random_state=3)
scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)

model = keras.Sequential([
    keras.layers.Dense(32, activation="relu", input_shape=(13,)),
    keras.layers.Dense(3, activation="softmax"),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01),
              loss="sparse_categorical_crossentropy", metrics=["accuracy"])

reduce_lr = keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=3,
                                              min_lr=1e-4, verbose=1)
history = model.fit(X_train, y_train, validation_split=0.2, epochs=60, batch_size=16,
                    callbacks=[reduce_lr], verbose=0)

rates = history.history["learning_rate"]
print("learning rate at the start and the end:", rates[0], rates[-1])
final_lr = float(model.optimizer.learning_rate)
print("optimizer learning rate now:", final_lr)

test_loss, test_acc = model.evaluate(X_test, y_test, verbose=0)
print("test accuracy:", test_acc)

assert np.isclose(rates[0], 0.01)
assert rates[-1] < 0.01
assert np.isclose(final_lr, rates[-1])
assert test_acc > 0.9
