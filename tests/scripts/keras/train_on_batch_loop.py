# Training one batch at a time in a Python loop with train_on_batch, as older tutorials do,
# then reading the fitted line's weight and bias from model.layers[0].get_weights().
import numpy as np
import keras
from keras.models import Sequential
from keras.layers import Dense
from keras.optimizers import SGD

np.random.seed(1337)
keras.utils.set_random_seed(1337)

X = np.linspace(-1, 1, 200)
np.random.shuffle(X)
Y = 0.5 * X + 2 + np.random.normal(0, 0.05, (200,))

X_train, Y_train = X[:160], Y[:160]
X_test, Y_test = X[160:], Y[160:]

model = Sequential()
model.add(Dense(units=1, input_dim=1))
model.compile(loss="mse", optimizer=SGD(learning_rate=0.1))

print("Training -----------")
for step in range(301):
    cost = model.train_on_batch(X_train, Y_train)
    if step % 100 == 0:
        print("train cost:", cost)

print("\nTesting ------------")
cost = model.evaluate(X_test, Y_test, batch_size=40, verbose=0)
print("test cost:", cost)
W, b = model.layers[0].get_weights()
print("Weights=", W, "\nbiases=", b)

Y_pred = model.predict(X_test, verbose=0)

assert np.ndim(cost) == 0
assert cost < 0.01
assert abs(W[0, 0] - 0.5) < 0.05 and abs(b[0] - 2) < 0.05
assert Y_pred.shape == (40, 1)
