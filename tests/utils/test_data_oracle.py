"""utils.data against torch.utils.data: shuffled orders, random splits, sampler draws,
collated batches and worker seeds, for the same seeds."""

from __future__ import annotations

import collections
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bridgetensor as bt
from bridgetensor.utils import data as btdata

from ..helpers import to_np
from .test_data import Stream, needs_random

pytestmark = [pytest.mark.oracle, needs_random]

Pair = collections.namedtuple("Pair", "a b")


def _torch():
    return pytest.importorskip("torch")


class Indices:
    """A map-style dataset whose samples are their own indices (for any library)."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __getitem__(self, i):
        return i

    def __len__(self) -> int:
        return self.n


def _order(loader) -> list:
    return [np.asarray(b).tolist() for b in loader]


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**40),
    n=st.integers(1, 60),
    batch_size=st.integers(1, 9),
    drop_last=st.booleans(),
    use_generator=st.booleans(),
)
def test_shuffled_order_equals_torch(seed, n, batch_size, drop_last, use_generator):
    torch = _torch()
    args = {"batch_size": batch_size, "shuffle": True, "drop_last": drop_last}
    if use_generator:
        ours = btdata.DataLoader(Indices(n), generator=bt.Generator().manual_seed(seed), **args)
        theirs = torch.utils.data.DataLoader(
            Indices(n), generator=torch.Generator().manual_seed(seed), **args
        )
    else:
        bt.manual_seed(seed)
        torch.manual_seed(seed)
        ours = btdata.DataLoader(Indices(n), **args)
        theirs = torch.utils.data.DataLoader(Indices(n), **args)
    for _ in range(2):  # two epochs: each draws torch's base seed, then the permutation
        assert [to_np(b).tolist() for b in ours] == _order(theirs)


def test_shuffled_order_with_workers_equals_torch():
    torch = _torch()
    ours = btdata.DataLoader(
        Indices(17), batch_size=3, shuffle=True, num_workers=2,
        generator=bt.Generator().manual_seed(7),
    )  # fmt: skip
    theirs = torch.utils.data.DataLoader(
        Indices(17), batch_size=3, shuffle=True, num_workers=2,
        generator=torch.Generator().manual_seed(7),
    )  # fmt: skip
    assert [to_np(b).tolist() for b in ours] == _order(theirs)


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    n=st.integers(1, 50),
    num_samples=st.one_of(st.none(), st.integers(1, 80)),
    replacement=st.booleans(),
)
def test_random_sampler_equals_torch(seed, n, num_samples, replacement):
    torch = _torch()
    ours = btdata.RandomSampler(
        range(n), replacement, num_samples, generator=bt.Generator().manual_seed(seed)
    )
    theirs = torch.utils.data.RandomSampler(
        range(n), replacement, num_samples, generator=torch.Generator().manual_seed(seed)
    )
    assert list(ours) == list(theirs)


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    weights=st.lists(st.floats(0.1, 10.0), min_size=1, max_size=12),
    data=st.data(),
)
def test_subset_and_weighted_samplers_equal_torch(seed, weights, data):
    torch = _torch()
    indices = data.draw(st.lists(st.integers(0, 99), min_size=1, max_size=15))
    ours = btdata.SubsetRandomSampler(indices, generator=bt.Generator().manual_seed(seed))
    theirs = torch.utils.data.SubsetRandomSampler(
        indices, generator=torch.Generator().manual_seed(seed)
    )
    assert list(ours) == [int(i) for i in theirs]
    replacement = data.draw(st.booleans())
    count = data.draw(st.integers(1, 20 if replacement else len(weights)))
    ours = btdata.WeightedRandomSampler(
        weights, count, replacement, generator=bt.Generator().manual_seed(seed)
    )
    theirs = torch.utils.data.WeightedRandomSampler(
        weights, count, replacement, generator=torch.Generator().manual_seed(seed)
    )
    assert list(ours) == list(theirs)


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    n=st.integers(1, 40),
    parts=st.integers(1, 4),
    fractions=st.booleans(),
    data=st.data(),
)
def test_random_split_equals_torch(seed, n, parts, fractions, data):
    torch = _torch()
    if fractions:
        raw = data.draw(st.lists(st.integers(1, 10), min_size=parts, max_size=parts))
        lengths = [r / sum(raw) for r in raw]
        if not (abs(sum(lengths) - 1) < 1e-9 and sum(lengths) <= 1):
            return  # torch's own fraction test would read these as counts
    else:
        cuts = data.draw(st.lists(st.integers(0, n), min_size=parts - 1, max_size=parts - 1))
        cuts.sort()
        lengths = [b - a for a, b in zip([0, *cuts], [*cuts, n])]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Length of split at index i is 0", in both
        ours = btdata.random_split(range(n), lengths, generator=bt.Generator().manual_seed(seed))
        theirs = torch.utils.data.random_split(
            range(n), lengths, generator=torch.Generator().manual_seed(seed)
        )
    assert [list(p) for p in ours] == [list(p) for p in theirs]


def _same_structure(ours, theirs):
    torch = _torch()
    if isinstance(theirs, torch.Tensor):
        assert isinstance(ours, bt.Tensor)
        assert ours.dtype.name == str(theirs.dtype).removeprefix("torch.")
        np.testing.assert_array_equal(to_np(ours), theirs.numpy())
        return
    assert type(ours) is type(theirs)
    if isinstance(theirs, dict):
        assert list(ours) == list(theirs)
        for key in theirs:
            _same_structure(ours[key], theirs[key])
    elif isinstance(theirs, (list, tuple)):
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            _same_structure(a, b)
    else:
        assert ours == theirs


def test_default_collate_equals_torch():
    torch = _torch()

    def samples(lib, i):
        return {
            "tensor": lib.full((2,), float(i)), "int tensor": lib.tensor([i, -i]),
            "array": np.arange(3, dtype=np.int16) + i, "np scalar": np.float32(i / 2),
            "np int": np.int64(i), "float": i / 3, "int": i, "bool": i % 2 == 0, "str": f"s{i}",
            "bytes": b"b", "pair": Pair(i, float(i)), "tuple": (i, "t"), "list": [i, [i / 2]],
            "ordered": collections.OrderedDict(x=i),
        }  # fmt: skip

    ours = btdata.default_collate([samples(bt, i) for i in range(3)])
    theirs = torch.utils.data.default_collate([samples(torch, i) for i in range(3)])
    _same_structure(ours, theirs)
    ours = btdata.default_convert([samples(bt, 1)])
    theirs = torch.utils.data.default_convert([samples(torch, 1)])
    assert list(ours[0]) == list(theirs[0])
    for key in ("array", "np scalar", "np int", "pair", "tuple", "list"):
        _same_structure(ours[0][key], theirs[0][key])


def test_iterable_dataset_with_workers_equals_torch():
    torch = _torch()

    class TorchStream(torch.utils.data.IterableDataset):
        def __init__(self, n: int) -> None:
            self.n = n

        def __iter__(self):
            info = torch.utils.data.get_worker_info()
            start, step = (0, 1) if info is None else (info.id, info.num_workers)
            return iter(range(start, self.n, step))

    for n, workers, size in [(7, 2, 2), (10, 2, 3), (3, 2, 1)]:
        ours = btdata.DataLoader(Stream(n), batch_size=size, num_workers=workers)
        theirs = torch.utils.data.DataLoader(TorchStream(n), batch_size=size, num_workers=workers)
        assert [to_np(b).tolist() for b in ours] == _order(theirs)


class Seeds:
    """Each sample: the worker's seed and its NumPy global generator's first draw."""

    def __getitem__(self, i):
        import torch

        info = btdata.get_worker_info() or torch.utils.data.get_worker_info()
        return [info.seed, int(np.random.randint(2**31))]

    def __len__(self) -> int:
        return 4


def test_worker_seeds_equal_torch():
    torch = _torch()
    ours = btdata.DataLoader(
        Seeds(), batch_size=None, num_workers=2, generator=bt.Generator().manual_seed(3)
    )
    theirs = torch.utils.data.DataLoader(
        Seeds(), batch_size=None, num_workers=2, generator=torch.Generator().manual_seed(3)
    )
    assert list(ours) == list(theirs)
