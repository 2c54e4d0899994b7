# Two inputs merged with Concatenate: the breast cancer features split into the "mean"
# measurements and the rest, each with its own branch; fit gets a list of two arrays.
import keras
from keras.layers import Input, Dense, Concatenate
from keras.models import Model
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

keras.utils.set_random_seed(10)

X, y = load_breast_cancer(return_X_y=True)
X = StandardScaler().fit_transform(X)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=10)
mean_train, other_train = X_train[:, :10], X_train[:, 10:]
mean_test, other_test = X_test[:, :10], X_test[:, 10:]

input_a = Input(shape=(10,), name="mean_features")
input_b = Input(shape=(20,), name="other_features")
a = Dense(8, activation="relu")(input_a)
b = Dense(8, activation="relu")(input_b)
combined = Concatenate()([a, b])
z = Dense(8, activation="relu")(combined)
output = Dense(1, activation="sigmoid")(z)
model = Model(inputs=[input_a, input_b], outputs=output)
model.summary()

model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit([mean_train, other_train], y_train, epochs=30, batch_size=16,
          validation_data=([mean_test, other_test], y_test), verbose=0)

loss, acc = model.evaluate([mean_test, other_test], y_test, verbose=0)
print("test accuracy:", acc)
probs = model.predict([mean_test, other_test], verbose=0)

assert probs.shape == (len(y_test), 1)
assert acc > 0.93
