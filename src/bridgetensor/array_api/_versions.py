"""Which namespace ``Tensor.__array_namespace__(api_version=...)`` returns.

2024.12 is this package itself. 2023.12 is a read-only view of it without the six
functions 2024.12 added, so code that asked for the older standard cannot come to
depend on the newer one by accident.
"""

from __future__ import annotations

import types

__all__ = ["SUPPORTED", "namespace"]

SUPPORTED = ("2023.12", "2024.12")
ADDED_IN_2024_12 = (
    "count_nonzero",
    "cumulative_prod",
    "diff",
    "nextafter",
    "reciprocal",
    "take_along_axis",
)
_VIEWS: dict = {}


def namespace(api_version=None):
    """The namespace for `api_version` (None: the newest supported, 2024.12)."""
    from .. import array_api

    if api_version is None or api_version == array_api.__array_api_version__:
        return array_api
    if api_version not in SUPPORTED:
        raise ValueError(
            f"__array_namespace__: api_version {api_version!r} is not supported; "
            f"choose one of {SUPPORTED}"
        )
    found = _VIEWS.get(api_version)
    if found is None:
        found = types.ModuleType(f"bridgetensor.array_api[{api_version}]", array_api.__doc__)
        names = [n for n in array_api.__all__ if n not in ADDED_IN_2024_12]
        found.__dict__.update({n: getattr(array_api, n) for n in names})
        found.__all__ = [n for n in names if n != "__array_api_version__"]
        found.__array_api_version__ = api_version
        _VIEWS[api_version] = found
    return found
