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
        raise NotImplementedError("Generator.get_state: pynn keeps no byte state; reseed with "
                                  "manual_seed instead")


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

