# Concentric circles scaled to [-1, 1]; a deep stack of relu6 layers with He initialisation
# trained by SGD with momentum.
from sklearn.datasets import make_circles
from sklearn.preprocessing import MinMaxScaler
import keras
from keras.layers import Dense
from keras.models import Sequential
from keras.optimizers import SGD

keras.utils.set_random_seed(1)

X, y = make_circles(n_samples=1000, noise=0.1, random_state=1)
scaler = MinMaxScaler(feature_range=(-1, 1))
X = scaler.fit_transform(X)

n_train = 500
trainX, testX = X[:n_train, :], X[n_train:, :]
trainy, testy = y[:n_train], y[n_train:]

model = Sequential()
model.add(Dense(10, input_dim=2, activation="relu6", kernel_initializer="he_uniform"))
model.add(Dense(10, activation="relu6", kernel_initializer="he_uniform"))
model.add(Dense(10, activation="relu6", kernel_initializer="he_uniform"))
model.add(Dense(1, activation="sigmoid"))

opt = SGD(learning_rate=0.05, momentum=0.9)
model.compile(loss="binary_crossentropy", optimizer=opt, metrics=["accuracy"])
history = model.fit(trainX, trainy, validation_data=(testX, testy), epochs=100, verbose=0)

_, train_acc = model.evaluate(trainX, trainy, verbose=0)
_, test_acc = model.evaluate(testX, testy, verbose=0)
print("Train: %.3f, Test: %.3f" % (train_acc, test_acc))

assert train_acc > 0.8
assert test_acc > 0.8
assert history.history["val_loss"][-1] < history.history["val_loss"][0]
