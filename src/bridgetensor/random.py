"""Random number generators that reproduce torch's CPU streams.

torch's CPU generator is a 32-bit Mersenne Twister (MT19937) seeded with the low 32 bits
of the seed by the reference ``init_genrand``, which is exactly NumPy's legacy seeding; so
a NumPy `MT19937` bit generator holds the state and hands out the raw 32-bit draws, and
the samplers in `_random_kernels` turn them into torch's numbers. `get_state` and
`set_state` use torch's 5056-byte layout, so states move between the two libraries.

>>> import bridgetensor as bt
>>> _ = bt.manual_seed(0)
>>> bt.rand(3)
tensor([0.4963, 0.7682, 0.0885])
"""

from __future__ import annotations

import contextlib
import os
import struct

import numpy as np

from . import _dtypes
from ._backend import device as _device

__all__ = [
    "Generator",
    "default_generator",
    "fork_rng",
    "get_rng_state",
    "initial_seed",
    "manual_seed",
    "seed",
    "set_rng_state",
]

# The seed torch's default CPU generator starts from when nobody seeds it.
DEFAULT_SEED = 67280421310721
_STATE_WORDS = 624
# torch's CPUGeneratorImplState: seed, left, seeded, next, the 624 state words (as uint64),
# the legacy normal_x, normal_y (the cached double normal), normal_rho, normal_is_valid,
# then the cached float normal and its flag; natural alignment, little-endian.
_HEAD = struct.Struct("<QiiQ")
_TAIL = struct.Struct("<dddi4xf?3x")
STATE_SIZE = _HEAD.size + 8 * _STATE_WORDS + _TAIL.size  # 5056


def _seed_to_uint64(seed) -> int:
    """torch's reading of a seed: an int taken modulo 2**64 (negatives as two's complement)."""
    value = int(seed)
    if not -(2**63) <= value < 2**64:
        raise ValueError("Overflow when unpacking long long")
    return value % 2**64


class Generator:
    """A random number generator with torch's CPU stream, state and seeding.

    >>> import bridgetensor as bt
    >>> g = bt.Generator().manual_seed(42)
    >>> bt.randint(0, 10, (5,), generator=g)
    tensor([2, 7, 6, 4, 6])
    """

    __slots__ = (
        "_bits",
        "_device",
        "_float_normal_cache",
        "_fresh",
        "_normal_cache",
        "_seed",
        "_words",
    )

    def __init__(self, device="cpu") -> None:
        self._device = _device(device)
        self._bits = np.random.MT19937()
        # Full-range 32-bit integers from the legacy interface are the raw MT19937 outputs,
        # returned as uint32 (half the memory of `random_raw`'s uint64).
        self._words = np.random.RandomState(self._bits)
        self.manual_seed(DEFAULT_SEED)

    @property
    def device(self) -> _device:
        return self._device

    # ------------------------------------------------------------ seeding

    def manual_seed(self, seed) -> Generator:
        """Seed the stream (only the low 32 bits reach MT19937, as in torch); returns self."""
        value = _seed_to_uint64(seed)
        self._bits._legacy_seeding(value & 0xFFFFFFFF)
        self._seed = value
        self._fresh = True
        self._normal_cache = None
        self._float_normal_cache = None
        return self

    def seed(self) -> int:
        """Seed from the operating system's entropy; returns the 64-bit seed used."""
        value = int.from_bytes(os.urandom(8), "little")
        self.manual_seed(value)
        return value

    def initial_seed(self) -> int:
        """The seed this generator was last seeded with."""
        return self._seed

    def clone_state(self) -> Generator:
        """A new generator in this one's state (the two then draw the same numbers)."""
        return Generator(self._device).set_state(self.get_state())

    # ------------------------------------------------------------ state

    def get_state(self):
        """The state as a uint8 tensor in torch's layout (5056 bytes)."""
        from ._creation import tensor

        raw = self._bits.state["state"]
        position = int(raw["pos"])
        head = _HEAD.pack(
            self._seed,
            _STATE_WORDS + 1 - position,  # torch's `left`
            1,
            0 if self._fresh else position,  # torch's `next`
        )
        words = np.asarray(raw["key"], dtype="<u8").tobytes()
        normal = self._normal_cache
        single = self._float_normal_cache
        tail = _TAIL.pack(
            0.0,
            0.0 if normal is None else normal,
            0.0,
            normal is not None,
            0.0 if single is None else single,
            single is not None,
        )
        return tensor(np.frombuffer(head + words + tail, dtype=np.uint8).copy(), device="cpu")

    def set_state(self, new_state) -> Generator:
        """Restore a state from `get_state` (ours or torch's); returns self."""
        data = _state_bytes(new_state)
        seed, left, _seeded, _next = _HEAD.unpack_from(data, 0)
        words = np.frombuffer(data, dtype="<u8", count=_STATE_WORDS, offset=_HEAD.size)
        _x, normal, _rho, normal_valid, single, single_valid = _TAIL.unpack_from(
            data, _HEAD.size + 8 * _STATE_WORDS
        )
        if not 1 <= left <= _STATE_WORDS:
            raise RuntimeError(f"Expected the RNG state's `left` in [1, 624] but got {left}")
        self._bits.state = {
            "bit_generator": "MT19937",
            "state": {"key": words.astype(np.uint32), "pos": _STATE_WORDS + 1 - left},
        }
        self._seed = seed
        self._fresh = left == 1 and _next == 0
        self._normal_cache = normal if normal_valid else None
        self._float_normal_cache = single if single_valid else None
        return self

    # ------------------------------------------------------------ draws (for the samplers)

    def _raw32(self, n: int) -> np.ndarray:
        """`n` raw 32-bit MT19937 outputs (uint32), torch's ``random()``."""
        if n:
            self._fresh = False
        return self._words.randint(0, 2**32, size=n, dtype=np.uint32)

    def _raw64(self, n: int) -> np.ndarray:
        """`n` 64-bit values, each from two draws, the first one high (torch's random64)."""
        raw = self._raw32(2 * n).astype(np.uint64)
        return (raw[0::2] << np.uint64(32)) | raw[1::2]


def _state_bytes(new_state) -> bytes:
    from ._tensor import Tensor

    if not isinstance(new_state, Tensor):
        raise TypeError(f"expected a torch.ByteTensor, but got {type(new_state).__name__}")
    if new_state.dtype is not _dtypes.uint8:
        raise TypeError("RNG state must be a torch.ByteTensor")
    host = np.ascontiguousarray(new_state.detach().cpu().numpy().reshape(-1))
    if host.size != STATE_SIZE:
        raise RuntimeError(
            f"Expected a CPUGeneratorImplState of size {STATE_SIZE} but found the input RNG "
            f"state size to be {host.size}"
        )
    return host.tobytes()


default_generator = Generator()


def resolve(generator) -> Generator:
    """The generator a ``generator=`` argument names (None: the default one)."""
    if generator is None:
        return default_generator
    if not isinstance(generator, Generator):
        raise TypeError(
            f"generator must be a bridgetensor.Generator; got {type(generator).__name__}"
        )
    return generator


def manual_seed(seed) -> Generator:
    """Seed the default generator; returns it.

    >>> import bridgetensor as bt
    >>> _ = bt.manual_seed(0); a = bt.randn(2); _ = bt.manual_seed(0)
    >>> bool((a == bt.randn(2)).all())
    True
    """
    return default_generator.manual_seed(seed)


def seed() -> int:
    """Seed the default generator from the operating system; returns the seed."""
    return default_generator.seed()


def initial_seed() -> int:
    """The default generator's seed.

    >>> import bridgetensor as bt
    >>> _ = bt.manual_seed(7); bt.initial_seed()
    7
    """
    return default_generator.initial_seed()


def get_rng_state():
    """The default generator's state (a uint8 tensor, torch's layout)."""
    return default_generator.get_state()


def set_rng_state(new_state) -> None:
    """Restore the default generator's state.

    >>> import bridgetensor as bt
    >>> state = bt.get_rng_state(); a = bt.rand(2); bt.set_rng_state(state)
    >>> bool((a == bt.rand(2)).all())
    True
    """
    default_generator.set_state(new_state)


@contextlib.contextmanager
def fork_rng(devices=None, enabled=True, device_type="cpu"):
    """Run a block with the default generator's state saved and restored afterwards.

    >>> import bridgetensor as bt
    >>> with bt.random.fork_rng():
    ...     _ = bt.rand(3)
    """
    if not enabled:
        yield
        return
    state = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(state)
