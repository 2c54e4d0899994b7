# Moons trained with a custom loop instead of fit: a tf.GradientTape records the forward pass,
# tape.gradient gives the gradients of the trainable weights, the optimizer applies them, and
# Keras metric objects keep the running loss and accuracy of each epoch, as in the TensorFlow
# "writing a training loop from scratch" guide.
import numpy as np
import tensorflow as tf
from sklearn.datasets import make_moons

tf.keras.utils.set_random_seed(12)

X, y = make_moons(n_samples=600, noise=0.15, random_state=12)
X = X.astype("float32")
dataset = tf.data.Dataset.from_tensor_slices((X, y)).shuffle(600).batch(32)

inputs = tf.keras.Input(shape=(2,))
hidden = tf.keras.layers.Dense(32, activation="relu")(inputs)
hidden = tf.keras.layers.Dense(32, activation="relu")(hidden)
logits = tf.keras.layers.Dense(2)(hidden)
model = tf.keras.Model(inputs, logits)

optimizer = tf.keras.optimizers.Adam(learning_rate=0.01)
loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
epoch_loss = tf.keras.metrics.Mean()
epoch_accuracy = tf.keras.metrics.SparseCategoricalAccuracy()


@tf.function
def train_step(x_batch, y_batch):
    with tf.GradientTape() as tape:
        batch_logits = model(x_batch, training=True)
        loss_value = loss_fn(y_batch, batch_logits)
    grads = tape.gradient(loss_value, model.trainable_weights)
    optimizer.apply_gradients(zip(grads, model.trainable_weights))
    epoch_accuracy.update_state(y_batch, batch_logits)
    return loss_value


for epoch in range(25):
    epoch_loss.reset_state()
    epoch_accuracy.reset_state()
    for step, (x_batch, y_batch) in enumerate(dataset):
        epoch_loss.update_state(train_step(x_batch, y_batch))
    if epoch % 5 == 0:
        print(f"epoch {epoch}: loss {float(epoch_loss.result()):.4f}, "
              f"accuracy {float(epoch_accuracy.result()):.3f}")

probabilities = tf.nn.softmax(model(X)).numpy()
accuracy = np.mean(np.argmax(probabilities, axis=1) == y)
print(f"final accuracy {accuracy:.3f}")
assert float(epoch_loss.result()) < 0.15
assert accuracy > 0.95
