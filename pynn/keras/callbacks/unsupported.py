"""Keras callbacks pynn does not have: constructing one raises, naming what to do instead."""


def _unsupported(name, reason):
    def __init__(self, *args, **kwargs):
        raise NotImplementedError(f"keras.callbacks.{name} is not supported by pynn: {reason}. "
                                  "Remove it from the callbacks list.")
    return type(name, (), {"__init__": __init__, "__doc__": f"Not in pynn: {reason}."})


RemoteMonitor = _unsupported("RemoteMonitor", "pynn sends no logs over the network")
BackupAndRestore = _unsupported("BackupAndRestore", "use ModelCheckpoint and load_model to "
                                                    "resume training")
SwapEMAWeights = _unsupported("SwapEMAWeights", "pynn's optimizers keep no moving average of "
                                                "the weights")
