"""array-api-strict as a backend: the standard and nothing more, with named fake devices.

Its arrays refuse everything outside the standard (NumPy calls, implicit conversions,
mixing devices), which is what makes it the suite's strictness check. Its devices are
"CPU_DEVICE" (bridgetensor's "cpu") and fake ones, "device1" and "device2", whose
memory is host memory: mixing them raises, as mixing a GPU and the CPU would.
"""

from __future__ import annotations

import numpy as np

from ._backend import CPU, Backend, device, host_key, host_value
from ._index_keys import clipped, cover, has_arrays

_HOST = "CPU_DEVICE"


class StrictBackend(Backend):
    __slots__ = ()

    def device_of(self, array) -> device:
        name = getattr(array.device, "_device", None) or str(array.device)
        return CPU if name == _HOST else device(name)

    def native_device(self, dev):
        if dev is None:
            return None
        return self.lib.Device(_HOST if dev.type == "cpu" else str(dev))

    def check_device(self, dev) -> None:
        known = self.xp.__array_namespace_info__().devices()
        names = [getattr(d, "_device", str(d)) for d in known]
        if str(dev) not in names:
            raise RuntimeError(
                f"device '{dev}': array-api-strict has the devices 'cpu', "
                + ", ".join(f"'{n}'" for n in names if n != _HOST)
            )

    def to_host(self, array) -> np.ndarray:
        # DLPack is the standard's way out; it also reads the fake devices' host memory.
        return np.from_dlpack(array)

    # strict's arrays hold a NumPy array (`_array`) in host memory, whatever their device:
    # the writes the standard lacks (fancy __setitem__, scatter) go to it directly.

    def may_share_memory(self, a, b) -> bool:
        return a._array.size == 0 or np.may_share_memory(a._array, b._array)

    def writable(self, view, source):
        if not view._array.flags.writeable and source._array.flags.writeable:
            view._array.flags.writeable = True
        return view

    def index_put(self, target, key, values):
        if not has_arrays(key):
            target[clipped(cover(key), target.shape)] = values
            return target
        target._array[host_key(key, self)] = host_value(values, self)
        return target

    def scatter_add(self, target, key, values):
        np.add.at(target._array, host_key(key, self), host_value(values, self))
        return target


def load() -> StrictBackend:
    import array_api_strict

    return StrictBackend("array_api_strict", array_api_strict, array_api_strict, numpy_dtypes=False)
