"""Breast cancer with metric objects: AUC, Precision and Recall next to accuracy.
evaluate() returns the loss followed by every metric, in the order they were given."""
import keras
from keras import layers
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

keras.utils.set_random_seed(99)

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y,
                                                    random_state=99)
scaler = StandardScaler().fit(X_train)
X_train = scaler.transform(X_train)
X_test = scaler.transform(X_test)

model = keras.Sequential([
    layers.Input(shape=(30,)),
    layers.Dense(16, activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(
    optimizer="adam",
    loss="binary_crossentropy",
    metrics=["accuracy",
             keras.metrics.AUC(name="auc"),
             keras.metrics.Precision(name="precision"),
             keras.metrics.Recall(name="recall")],
)
history = model.fit(X_train, y_train, epochs=25, batch_size=32, validation_split=0.2,
                    verbose=0)
print(sorted(history.history))

loss, acc, auc, precision, recall = model.evaluate(X_test, y_test, verbose=0)
print(f"loss={loss:.3f} acc={acc:.3f} auc={auc:.3f} precision={precision:.3f} recall={recall:.3f}")

assert "val_auc" in history.history and "val_recall" in history.history
assert auc > 0.97
assert precision > 0.9
assert recall > 0.9
assert acc > 0.92
