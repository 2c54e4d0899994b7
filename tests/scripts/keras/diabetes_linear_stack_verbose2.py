# Diabetes with a stack of Dense layers and no activations at all, one log line per epoch
# (verbose=2); evaluate() with no metrics returns a single number.
import keras
from keras.models import Sequential
from keras.layers import Dense
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.metrics import r2_score

keras.utils.set_random_seed(1004)

datasets = load_diabetes()
x = datasets.data
y = datasets.target
x_train, x_test, y_train, y_test = train_test_split(x, y, train_size=0.8, random_state=1004)

model = Sequential()
model.add(Dense(50, input_shape=(10,)))
model.add(Dense(30))
model.add(Dense(10))
model.add(Dense(1))

model.compile(loss="mse", optimizer=keras.optimizers.Adam(learning_rate=0.01))
model.fit(x_train, y_train, epochs=40, batch_size=16, validation_split=0.2, verbose=2)

loss = model.evaluate(x_test, y_test, verbose=0)
print("loss : ", loss)
result = model.predict(x_test, verbose=0)
r2 = r2_score(y_test, result)
print("r2 score: ", r2)

assert isinstance(loss, float)
assert loss < 4000
assert r2 > 0.3
