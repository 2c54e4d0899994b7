"""selu with lecun_normal initialisation, a tanh layer, and the Adagrad optimizer given as
an object; trained on make_classification data with three classes."""
import numpy as np
import keras
from keras import layers
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

keras.utils.set_random_seed(77)

X, y = make_classification(n_samples=1200, n_features=12, n_informative=6, n_classes=3,
                           n_clusters_per_class=1, random_state=77)
X = StandardScaler().fit_transform(X)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=77)

model = keras.Sequential([
    layers.Input(shape=(12,)),
    layers.Dense(64, activation="selu", kernel_initializer="lecun_normal"),
    layers.Dense(32, activation="tanh"),
    layers.Dense(3, activation="softmax"),
])
model.compile(optimizer=keras.optimizers.Adagrad(learning_rate=0.05),
              loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(X_train, y_train, epochs=30, batch_size=32, verbose=0)

test_loss, test_acc = model.evaluate(X_test, y_test, verbose=0)
print("test accuracy:", test_acc)

assert test_acc > 0.85
