# make_classification with two classes one-hot encoded, Dropout between Dense layers,
# and SGD with Nesterov momentum; the output size comes from y_train.shape[1].
import keras
from keras.models import Sequential
from keras.layers import Dense, Dropout
from keras.optimizers import SGD
from keras.utils import to_categorical
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split

keras.utils.set_random_seed(42)

X, y = make_classification(n_samples=1000, n_features=10, n_informative=5, random_state=42)
y = to_categorical(y)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)

model = Sequential()
model.add(Dense(64, activation="relu", input_dim=X_train.shape[1]))
model.add(Dropout(0.2))
model.add(Dense(32, activation="relu"))
model.add(Dropout(0.2))
model.add(Dense(y_train.shape[1], activation="softmax"))

sgd = SGD(learning_rate=0.01, momentum=0.9, nesterov=True)
model.compile(loss="categorical_crossentropy", optimizer=sgd, metrics=["accuracy"])
model.fit(X_train, y_train, epochs=30, batch_size=32, verbose=0)

score = model.evaluate(X_test, y_test, batch_size=128, verbose=0)
print("Test loss:", score[0])
print("Test accuracy:", score[1])

# Dropout is only active in training: two predictions on the same data agree exactly
first = model.predict(X_test, verbose=0)
second = model.predict(X_test, verbose=0)

assert (first == second).all()
assert score[1] > 0.85
