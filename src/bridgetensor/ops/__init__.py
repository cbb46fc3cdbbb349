"""Differentiable primitives and composites with the array-API standard's names.

Both faces (the torch-style top level and `bridgetensor.array_api`) are thin layers
over these.
"""

from .elementwise import *  # noqa: F403
from .indexing import *  # noqa: F403
from .joining import *  # noqa: F403
from .linalg import *  # noqa: F403
from .manipulation import *  # noqa: F403
from .reduction import *  # noqa: F403
