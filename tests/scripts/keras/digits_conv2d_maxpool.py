# The 8x8 digits as images for a small convolutional network: each flat row of 64 pixels
# reshaped to (8, 8, 1), a 'same'-padded Conv2D, max pooling, a second Conv2D, global average
# pooling and a softmax, one-hot targets with categorical cross-entropy, and a classification
# report from the argmax of the predictions.
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
from sklearn.datasets import load_digits
from sklearn.metrics import classification_report
from sklearn.model_selection import train_test_split

keras.utils.set_random_seed(5)

digits = load_digits()
X = (digits.data / 16.0).reshape(-1, 8, 8, 1).astype("float32")
y = keras.utils.to_categorical(digits.target, 10)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=5,
                                                    stratify=digits.target)

model = keras.Sequential([
    keras.Input(shape=(8, 8, 1)),
    layers.Conv2D(16, kernel_size=3, padding="same", activation="relu"),
    layers.MaxPooling2D(pool_size=2),
    layers.Conv2D(32, (3, 3), activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(10, activation="softmax"),
])
model.summary()
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.005),
              loss="categorical_crossentropy", metrics=["accuracy"])
history = model.fit(X_train, y_train, epochs=25, batch_size=32, validation_split=0.1,
                    verbose=0)

predicted = np.argmax(model.predict(X_test, verbose=0), axis=1)
actual = np.argmax(y_test, axis=1)
print(classification_report(actual, predicted, digits=3))
accuracy = float(np.mean(predicted == actual))
print(f"test accuracy {accuracy:.3f}")

assert model.layers[1].output.shape == (None, 4, 4, 16)
assert model.count_params() == 160 + 4640 + 330
assert history.history["val_accuracy"][-1] > 0.85
assert accuracy > 0.9
