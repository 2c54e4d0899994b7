# Three Gaussian blobs (standardized), one-hot targets with keras.utils.to_categorical, a
# He-initialised hidden layer and SGD with momentum; accuracy read back from evaluate.
from sklearn.datasets import make_blobs
from sklearn.preprocessing import StandardScaler
import keras
from keras.layers import Dense
from keras.models import Sequential
from keras.optimizers import SGD

keras.utils.set_random_seed(2)

X, y = make_blobs(n_samples=1000, centers=3, n_features=2, cluster_std=2, random_state=2)
X = StandardScaler().fit_transform(X)
y = keras.utils.to_categorical(y)

n_train = 500
trainX, testX = X[:n_train, :], X[n_train:, :]
trainy, testy = y[:n_train], y[n_train:]

model = Sequential()
model.add(Dense(50, input_dim=2, activation="relu", kernel_initializer="he_uniform"))
model.add(Dense(3, activation="softmax"))
opt = SGD(learning_rate=0.01, momentum=0.9)
model.compile(loss="categorical_crossentropy", optimizer=opt, metrics=["accuracy"])
history = model.fit(trainX, trainy, validation_data=(testX, testy), epochs=40, verbose=0)

_, train_acc = model.evaluate(trainX, trainy, verbose=0)
_, test_acc = model.evaluate(testX, testy, verbose=0)
print("Train: %.3f, Test: %.3f" % (train_acc, test_acc))
print("epochs recorded:", len(history.history["loss"]))

assert y.shape == (1000, 3)
assert train_acc > 0.78
assert test_acc > 0.78
