"""Differentiable primitives and composites with the array-API standard's names.

Both faces (the torch-style top level and `bridgetensor.array_api`) are thin layers
over these.
"""

from .activation import *  # noqa: F403
from .cumulative import *  # noqa: F403
from .einsum import *  # noqa: F403
from .elementwise import *  # noqa: F403
from .elementwise_math import *  # noqa: F403
from .elementwise_special import *  # noqa: F403
from .filling import *  # noqa: F403
from .indexing import *  # noqa: F403
from .joining import *  # noqa: F403
from .linalg import *  # noqa: F403
from .linalg_decompositions import *  # noqa: F403
from .linalg_norms import *  # noqa: F403
from .losses import *  # noqa: F403
from .losses_ctc import *  # noqa: F403
from .manipulation import *  # noqa: F403
from .reduction import *  # noqa: F403
from .sets import *  # noqa: F403
from .sorting import *  # noqa: F403
from .statistics import *  # noqa: F403
