# make_regression with standardized inputs and target, the mean absolute error as the loss,
# mse as a metric, and SGD with momentum; evaluate returns [loss, mse].
from sklearn.datasets import make_regression
from sklearn.preprocessing import StandardScaler
import keras
from keras.models import Sequential
from keras.layers import Dense
from keras.optimizers import SGD

keras.utils.set_random_seed(1)

X, y = make_regression(n_samples=1000, n_features=20, noise=0.1, random_state=1)
X = StandardScaler().fit_transform(X)
y = StandardScaler().fit_transform(y.reshape(len(y), 1))[:, 0]

n_train = 500
trainX, testX = X[:n_train, :], X[n_train:, :]
trainy, testy = y[:n_train], y[n_train:]

model = Sequential()
model.add(Dense(25, input_dim=20, activation="relu", kernel_initializer="he_uniform"))
model.add(Dense(1, activation="linear"))
opt = SGD(learning_rate=0.01, momentum=0.9)
model.compile(loss="mean_absolute_error", optimizer=opt, metrics=["mse"])

history = model.fit(trainX, trainy, validation_data=(testX, testy), epochs=40, verbose=0)

train_result = model.evaluate(trainX, trainy, verbose=0)
test_result = model.evaluate(testX, testy, verbose=0)
print("Train: mae=%.3f mse=%.3f, Test: mae=%.3f mse=%.3f" % (*train_result, *test_result))

assert len(test_result) == 2
assert history.history["val_loss"][-1] < history.history["val_loss"][0]
assert test_result[0] < 0.2
assert test_result[1] < 0.06
