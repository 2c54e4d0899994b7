"""pynn.nn.functional is pynn.functional (as torch.nn.functional is the same module)."""
from ..functional import *  # noqa: F401,F403
