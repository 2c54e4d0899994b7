# Wine with targets one-hot encoded by scikit-learn's OneHotEncoder, the rmsprop optimizer
# by name, and early stopping on the training loss.
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from keras.models import Sequential
from keras.layers import Dense
from keras.callbacks import EarlyStopping
import keras

keras.utils.set_random_seed(5)

early_stopping = EarlyStopping(monitor="loss", patience=10)

datasets = load_wine()
x = datasets.data
y = datasets.target

encoder = OneHotEncoder()
y = encoder.fit_transform(y.reshape(-1, 1)).toarray()

x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, random_state=5)
x_train, x_val, y_train, y_val = train_test_split(x_train, y_train, test_size=0.2,
                                                  random_state=5)
scaler = StandardScaler()
x_train = scaler.fit_transform(x_train)
x_val = scaler.transform(x_val)
x_test = scaler.transform(x_test)

model = Sequential()
model.add(Dense(32, activation="relu", input_dim=13))
model.add(Dense(16, activation="relu"))
model.add(Dense(3, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="rmsprop", metrics=["accuracy"])
model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=60, batch_size=8,
          callbacks=[early_stopping], verbose=0)

loss = model.evaluate(x_test, y_test, batch_size=4, verbose=0)
print("loss : ", loss[0], "\naccuracy : ", loss[1])

assert y.shape == (178, 3)
assert loss[1] > 0.9
