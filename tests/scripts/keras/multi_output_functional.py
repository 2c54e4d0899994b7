# One input, two outputs: the diabetes progression score (regression) and whether it is
# above the median (classification), with a loss and a loss weight per output. Keras 3
# pairs a flat metrics list with the outputs when their numbers match: mae for the first,
# accuracy for the second.
import numpy as np
import tensorflow as tf
from tensorflow.keras.models import Model
from tensorflow.keras.layers import Dense, Input
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split

tf.random.set_seed(6)

x, target = load_diabetes(return_X_y=True)
y1 = (target - target.mean()) / target.std()
y2 = (target > np.median(target)).astype("float32")
x_train, x_test, y1_train, y1_test, y2_train, y2_test = train_test_split(
    x, y1, y2, test_size=0.2, random_state=6)

in1 = Input(shape=(10,))
d = Dense(32, activation="relu")(in1)
d = Dense(16, activation="relu")(d)
out1 = Dense(1, name="score")(d)
out2 = Dense(1, activation="sigmoid", name="high")(d)
model = Model(inputs=in1, outputs=[out1, out2])
model.summary()

model.compile(optimizer="adam", loss=["mse", "binary_crossentropy"], loss_weights=[1.0, 0.5],
              metrics=["mae", "accuracy"])
history = model.fit(x_train, [y1_train, y2_train], epochs=60, batch_size=16, verbose=0)
print(sorted(history.history))

results = model.evaluate(x_test, [y1_test, y2_test], verbose=0)
print("evaluate returned", len(results), "numbers:", results)

score_pred, high_pred = model.predict(x_test, verbose=0)
print(score_pred.shape, high_pred.shape)
high_acc = ((high_pred.ravel() > 0.5) == (y2_test > 0.5)).mean()
mse = np.mean((score_pred.ravel() - y1_test) ** 2)
print("mse of the score:", mse, "accuracy of above-median:", high_acc)

assert sorted(history.history) == ["high_accuracy", "high_loss", "loss", "score_loss", "score_mae"]
assert len(results) == 5
assert score_pred.shape == (len(x_test), 1) and high_pred.shape == (len(x_test), 1)
assert mse < 0.75
assert high_acc > 0.65
