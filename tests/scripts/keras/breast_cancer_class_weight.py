# An imbalanced subset of the breast cancer data trained with class weights computed by
# scikit-learn and passed to fit() as a dict.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.utils.class_weight import compute_class_weight

tf.random.set_seed(17)
np.random.seed(17)

X, y = load_breast_cancer(return_X_y=True)
# keep only a quarter of the malignant (class 0) cases so the classes are imbalanced
rng = np.random.RandomState(0)
keep = (y == 1) | (rng.rand(len(y)) < 0.25)
X, y = X[keep], y[keep]
print("class counts:", np.bincount(y))

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y,
                                                    random_state=17)
scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)

weights = compute_class_weight(class_weight="balanced", classes=np.unique(y_train), y=y_train)
class_weight = dict(enumerate(weights))
print("class weights:", class_weight)

model = keras.Sequential([
    keras.layers.Dense(16, activation="relu", input_shape=(X_train.shape[1],)),
    keras.layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(X_train, y_train, epochs=30, batch_size=16, class_weight=class_weight, verbose=0)

pred = (model.predict(X_test, verbose=0) > 0.5).astype(int).ravel()
minority_recall = ((pred == 0) & (y_test == 0)).sum() / (y_test == 0).sum()
accuracy = (pred == y_test).mean()
print("accuracy:", accuracy, "recall of the small class:", minority_recall)

assert class_weight[0] > class_weight[1]
assert accuracy > 0.9
assert minority_recall > 0.75
