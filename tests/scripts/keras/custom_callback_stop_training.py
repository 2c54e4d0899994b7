# A callback of our own, as in the TensorFlow course: stop training as soon as the
# training accuracy passes 95%, by setting self.model.stop_training.
import tensorflow as tf
from sklearn.datasets import make_moons


class myCallback(tf.keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs={}):
        if logs.get("accuracy") > 0.95:
            print("\nReached 95% accuracy so cancelling training!")
            self.model.stop_training = True


tf.random.set_seed(3)
X, y = make_moons(n_samples=1000, noise=0.1, random_state=3)

callbacks = myCallback()
model = tf.keras.models.Sequential([
    tf.keras.layers.Dense(32, activation=tf.keras.activations.relu),
    tf.keras.layers.Dense(32, activation="relu"),
    tf.keras.layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
history = model.fit(X, y, epochs=200, callbacks=[callbacks], verbose=0)

epochs_run = len(history.history["accuracy"])
print("trained for", epochs_run, "epochs; last accuracy", history.history["accuracy"][-1])

assert epochs_run < 200
assert history.history["accuracy"][-1] > 0.95
assert all(a <= 0.95 for a in history.history["accuracy"][:-1])
