# A TensorFlow-flavoured regression: the data made with tf.random.uniform and tf.reduce_sum,
# the loss written with tf.reduce_mean and tf.square, tf.nn.relu as a Dense activation,
# tf.constant inputs to predict, and tf.Variable weights fitted by hand with a tape.
import numpy as np
import tensorflow as tf

tf.random.set_seed(21)

x = tf.random.uniform(shape=(800, 4), minval=0, maxval=1, dtype=tf.float32)
y = tf.reduce_sum(x * tf.constant([1.0, -2.0, 3.0, 0.5]), axis=-1) + 1.0


def custom_mse(y_true, y_pred):
    return tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)


model = tf.keras.Sequential([
    tf.keras.Input(shape=(4,)),
    tf.keras.layers.Dense(16, activation=tf.nn.relu),
    tf.keras.layers.Dense(1),
])
model.compile(loss=custom_mse, optimizer=tf.keras.optimizers.Adam(0.01))
history = model.fit(x, y, epochs=40, batch_size=32, verbose=0)
probe = tf.constant([[0.5, 0.5, 0.5, 0.5]])
guess = float(model.predict(probe, verbose=0)[0, 0])
print(f"final loss {history.history['loss'][-1]:.5f}, f(0.5, ...) = {guess:.3f} (exact 2.25)")

# the same linear map fitted by hand: two variables, a tape, plain gradient descent
w = tf.Variable(tf.zeros((4, 1)))
b = tf.Variable(0.0)
for step in range(600):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - tf.expand_dims(y, -1)))
    dw, db = tape.gradient(loss, [w, b])
    w.assign_sub(0.3 * dw)
    b.assign_sub(0.3 * db)
print("fitted weights", np.round(w.numpy().ravel(), 2), "bias", round(float(b.numpy()), 2))

assert history.history["loss"][-1] < 0.01
assert abs(guess - 2.25) < 0.15
assert float(loss) < 0.01
assert np.allclose(w.numpy().ravel(), [1.0, -2.0, 3.0, 0.5], atol=0.15)
