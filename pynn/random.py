"""The engine's one source of randomness: weight initialisation and the shuffling in `fit`.

It is a NumPy Generator of its own, never NumPy's global state, so `pynn.manual_seed(seed)` (or
Keras's `pynn.keras.utils.set_random_seed(seed)`) makes a run reproducible without touching the
random numbers of the user's other code.
"""
import numpy as np

_generator = np.random.default_rng()
_seed = [None]  # the seed of the current generator, if one was given


def generator(given=None):
    """The Generator a random draw of pynn comes from: pynn's own (replaced by manual_seed), or
    the numpy Generator inside a pynn.Generator passed as `generator=`."""
    if given is None:
        return _generator
    if not isinstance(given, Generator):
        raise TypeError(f"generator: expected a pynn.Generator, got {type(given).__name__}")
    return given.rng


class Generator:
    """A random number generator of its own, as torch.Generator: seeded by manual_seed, passed
    as generator= to random_split, DataLoader, randperm, rand, ... so that their draws do not
    touch pynn's global one."""

    def __init__(self, device="cpu"):
        self._seed = int(np.random.SeedSequence().entropy % 2**32)
        self.rng = np.random.default_rng(self._seed)
        self.device = device

    def manual_seed(self, seed):
        self._seed = check_seed(seed)
        self.rng = np.random.default_rng(self._seed)
        return self

    def seed(self):
        return self.manual_seed(int(np.random.SeedSequence().entropy % 2**32))._seed

    def initial_seed(self):
        return self._seed

    def get_state(self):
        """The generator's state as a uint8 tensor (for set_state), as torch.Generator's."""
        return _state_bytes(self.rng)

    def set_state(self, new_state):
        _set_state_bytes(self.rng, new_state, "Generator.set_state")
        return self


_STATE_BYTES = 37  # PCG64: state and increment (128 bits each), has_uint32, uinteger


def _state_bytes(rng):
    from .tensor import Tensor
    state = rng.bit_generator.state
    raw = (state["state"]["state"].to_bytes(16, "little")
           + state["state"]["inc"].to_bytes(16, "little")
           + bytes([state["has_uint32"]]) + state["uinteger"].to_bytes(4, "little"))
    return Tensor._make(np.frombuffer(raw, np.uint8).copy())


def _set_state_bytes(rng, new_state, name):
    data = getattr(new_state, "_data", new_state)
    data = np.asarray(data)
    if data.dtype != np.uint8 or data.shape != (_STATE_BYTES,):
        raise RuntimeError(f"{name}: expected the uint8 tensor of {_STATE_BYTES} bytes that "
                           f"get_rng_state / get_state returned, got {data.dtype} of shape "
                           f"{tuple(data.shape)}")
    raw = data.tobytes()
    state = rng.bit_generator.state
    state["state"] = {"state": int.from_bytes(raw[:16], "little"),
                      "inc": int.from_bytes(raw[16:32], "little")}
    state["has_uint32"], state["uinteger"] = raw[32], int.from_bytes(raw[33:], "little")
    rng.bit_generator.state = state


def get_rng_state():
    """The state of pynn's generator as a uint8 tensor, as torch.get_rng_state: set_rng_state
    of it replays the same draws."""
    return _state_bytes(_generator)


def set_rng_state(new_state):
    _set_state_bytes(_generator, new_state, "set_rng_state")


def check_seed(seed):
    """seed as a Python int: an integer in [0, 2**32), as NumPy's seeding accepts everywhere."""
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed: expected an integer, got {type(seed).__name__} {seed!r}")
    if not 0 <= seed < 2**32:
        raise ValueError(f"seed: expected an integer in [0, 2**32), got {seed}")
    return int(seed)


def manual_seed(seed):
    """Seed pynn's generator, as torch.manual_seed seeds PyTorch's: the same seed gives the same
    initial weights and the same shuffling. Returns it as a pynn.Generator (which draws from
    it, for generator= arguments)."""
    global _generator
    _seed[0] = check_seed(seed)
    _generator = np.random.default_rng(_seed[0])
    default = Generator.__new__(Generator)  # the default generator, as torch.manual_seed returns
    default.rng, default._seed, default.device = _generator, _seed[0], "cpu"
    return default


def set_seed(seed):
    """TensorFlow's name for manual_seed: `tf.random.set_seed(42)`, which Keras scripts call,
    lands here when their `import tensorflow as tf` is pointed at pynn."""
    manual_seed(seed)


def seed():
    """Seed pynn's generator from the operating system's randomness; returns the seed."""
    value = int(np.random.SeedSequence().entropy % 2**32)
    manual_seed(value)
    return value


def initial_seed():
    """The seed last given to manual_seed (or seed())."""
    return _seed[0] if _seed[0] is not None else seed()


def spawn():
    """A new independent Generator drawn from pynn's: a model keeps one for its own shuffling,
    so two models trained in two threads do not share (and race on) one stream."""
    return np.random.default_rng(_generator.integers(2**63))

