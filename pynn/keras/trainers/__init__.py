"""The training half of a Keras-style model, a module per concept: trainer (Trainer: compile,
fit, evaluate, predict and the *_on_batch methods), compile_utils (compile's losses and metrics
per output), data_adapter (the data of fit/evaluate/predict), train_step (fit's compiled step
for a Sequential model of Dense layers)."""
