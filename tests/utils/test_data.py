"""bridgetensor.utils.data: datasets, samplers, collation and DataLoader (no torch here;
test_data_oracle.py compares orders and batches with torch itself)."""

from __future__ import annotations

import collections
import math
import os
import time
import warnings

import numpy as np
import pytest

import bridgetensor as bt
from bridgetensor.utils.data import (
    BatchSampler,
    ChainDataset,
    ConcatDataset,
    DataLoader,
    Dataset,
    IterableDataset,
    RandomSampler,
    SequentialSampler,
    Subset,
    SubsetRandomSampler,
    TensorDataset,
    WeightedRandomSampler,
    default_collate,
    default_convert,
    get_worker_info,
    random_split,
)

from ..helpers import to_np

# Shuffling and worker seeds use bridgetensor.random (torch's generator streams).
needs_random = pytest.mark.skipif(
    not (hasattr(bt, "randperm") and hasattr(bt.Tensor, "random_")),
    reason="bridgetensor.random is not part of this build yet",
)
# (Every DataLoader iterator draws torch's base seed, so iterating one needs it too.)

Point = collections.namedtuple("Point", "x y")


class Squares(Dataset):
    def __init__(self, n: int = 10) -> None:
        self.n = n

    def __getitem__(self, i):
        if not 0 <= i < self.n:
            raise IndexError(i)
        return i * i

    def __len__(self) -> int:
        return self.n


class Stream(IterableDataset):
    """0..n-1, each worker taking every num_workers-th item (as torch's docs suggest)."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __iter__(self):
        info = get_worker_info()
        start, step = (0, 1) if info is None else (info.id, info.num_workers)
        return iter(range(start, self.n, step))

    def __len__(self) -> int:
        return self.n


class Fails(Dataset):
    def __getitem__(self, i):
        if i == 3:
            raise KeyError(f"no sample {i}")
        return i

    def __len__(self) -> int:
        return 6


class WhoAmI(Dataset):
    def __getitem__(self, i):
        info = get_worker_info()
        return (info.id, info.seed, bt.initial_seed(), os.getpid()) if info else None

    def __len__(self) -> int:
        return 4


class Slow(Dataset):
    def __getitem__(self, i):
        time.sleep(0.2 if i == 0 else 0.0)
        return i

    def __len__(self) -> int:
        return 4


def batches(loader) -> list:
    return [to_np(b).tolist() if isinstance(b, bt.Tensor) else b for b in loader]


# ---------------------------------------------------------------- datasets


def test_dataset_base_and_concat():
    with pytest.raises(NotImplementedError, match="Subclasses of Dataset should implement"):
        Dataset()[0]
    both = Squares(3) + Squares(2)
    assert isinstance(both, ConcatDataset)
    assert len(both) == 5 and [both[i] for i in range(5)] == [0, 1, 4, 0, 1]
    assert both[-1] == 1 and both[-5] == 0
    assert both.cumulative_sizes == [3, 5]
    with pytest.raises(ValueError, match="absolute value of index should not exceed"):
        both[-6]
    with pytest.raises(AssertionError, match="datasets should not be an empty iterable"):
        ConcatDataset([])
    with pytest.raises(AssertionError, match="ConcatDataset does not support IterableDataset"):
        ConcatDataset([Stream(2)])


def test_chain_dataset():
    chained = Stream(2) + Stream(3)
    assert isinstance(chained, ChainDataset)
    assert list(chained) == [0, 1, 0, 1, 2] and len(chained) == 5
    with pytest.raises(AssertionError, match="ChainDataset only supports IterableDataset"):
        list(ChainDataset([Squares(2)]))


def test_tensor_dataset():
    x, y = bt.arange(6.0).reshape(3, 2), bt.tensor([7, 8, 9])
    data = TensorDataset(x, y)
    assert len(data) == 3
    row, label = data[1]
    assert to_np(row).tolist() == [2.0, 3.0] and label.item() == 8
    with pytest.raises(AssertionError, match="Size mismatch between tensors"):
        TensorDataset(x, bt.zeros(4))


@needs_random
def test_subset_and_batched_fetch():
    class Batched(Squares):
        def __getitems__(self, indices):
            return [("batched", i) for i in indices]

    subset = Subset(Squares(), [5, 1, 3])
    assert len(subset) == 3 and subset[0] == 25 and list(subset) == [25, 1, 9]
    assert subset.__getitems__([2, 0]) == [9, 25]
    assert Subset(Batched(), [5, 1]).__getitems__([1, 0]) == [("batched", 1), ("batched", 5)]
    loader = DataLoader(Subset(Batched(), [4, 2]), batch_size=2, collate_fn=list)
    assert list(loader) == [[("batched", 4), ("batched", 2)]]


@needs_random
def test_random_split():
    parts = random_split(range(10), [3, 7], generator=bt.Generator().manual_seed(1))
    assert [len(p) for p in parts] == [3, 7]
    assert sorted(list(parts[0]) + list(parts[1])) == list(range(10))
    assert [len(p) for p in random_split(range(10), [0.25, 0.25, 0.5])] == [3, 2, 5]
    with pytest.warns(UserWarning, match="Length of split at index 1 is 0"):
        random_split(range(3), [1.0, 0.0])
    with pytest.raises(ValueError, match="Fraction at index 0 is not between 0 and 1"):
        random_split(range(3), [-0.5, 1.5])
    with pytest.raises(ValueError, match="Sum of input lengths does not equal the length"):
        random_split(range(3), [1, 1])


# ---------------------------------------------------------------- samplers


@needs_random
def test_sequential_and_random_samplers():
    assert list(SequentialSampler(range(4))) == [0, 1, 2, 3]
    g = bt.Generator().manual_seed(3)
    once = list(RandomSampler(range(6), generator=g))
    assert sorted(once) == list(range(6))
    g.manual_seed(3)
    assert list(RandomSampler(range(6), generator=g)) == once
    longer = list(RandomSampler(range(3), num_samples=8, generator=g))
    assert len(longer) == 8 and sorted(longer[:6]) == [0, 0, 1, 1, 2, 2]
    drawn = list(RandomSampler(range(3), replacement=True, num_samples=40, generator=g))
    assert len(drawn) == 40 and set(drawn) <= {0, 1, 2}
    assert len(RandomSampler(range(5))) == 5
    with pytest.raises(TypeError, match="replacement should be a boolean value, but got"):
        RandomSampler(range(3), replacement=1)
    with pytest.raises(ValueError, match="num_samples should be a positive integer value"):
        RandomSampler(range(3), num_samples=0)


@needs_random
def test_subset_and_weighted_samplers():
    assert sorted(SubsetRandomSampler([7, 3, 5])) == [3, 5, 7]
    assert len(SubsetRandomSampler([7, 3])) == 2
    assert set(WeightedRandomSampler([0.0, 2.0, 0.0, 1.0], 20)) <= {1, 3}
    unique = list(WeightedRandomSampler([1.0, 1.0, 1.0], 3, replacement=False))
    assert sorted(unique) == [0, 1, 2]
    with pytest.raises(ValueError, match="num_samples should be a positive integer value"):
        WeightedRandomSampler([1.0], True)
    with pytest.raises(ValueError, match="replacement should be a boolean value"):
        WeightedRandomSampler([1.0], 1, replacement="yes")
    with pytest.raises(ValueError, match=r"weights should be a 1d sequence but given .* \(2, 1\)"):
        WeightedRandomSampler([[1.0], [2.0]], 1)


def test_batch_sampler():
    assert list(BatchSampler(range(5), 2, False)) == [[0, 1], [2, 3], [4]]
    assert list(BatchSampler(range(5), 2, True)) == [[0, 1], [2, 3]]
    assert len(BatchSampler(range(5), 2, False)) == 3 and len(BatchSampler(range(5), 2, True)) == 2
    with pytest.raises(ValueError, match="batch_size should be a positive integer value"):
        BatchSampler(range(5), True, False)
    with pytest.raises(ValueError, match="drop_last should be a boolean value, but got"):
        BatchSampler(range(5), 2, 0)


# ---------------------------------------------------------------- collation


def test_default_collate_types():
    batch = default_collate([
        {"x": bt.ones(2), "n": np.array([1, 2], dtype=np.int32), "f": 0.5, "i": 3, "b": True,
         "s": "a", "p": Point(1, 2.0), "l": [1, "u"], "np": np.float32(1.5)},
        {"x": bt.zeros(2), "n": np.array([3, 4], dtype=np.int32), "f": 1.5, "i": 4, "b": False,
         "s": "b", "p": Point(3, 4.0), "l": [2, "v"], "np": np.float32(2.5)},
    ])  # fmt: skip
    assert to_np(batch["x"]).tolist() == [[1, 1], [0, 0]]
    assert batch["n"].dtype is bt.int32 and batch["n"].shape == (2, 2)
    assert batch["f"].dtype is bt.float64 and batch["i"].dtype is bt.int64
    assert batch["b"].dtype is bt.bool and batch["np"].dtype is bt.float32
    assert batch["s"] == ["a", "b"]
    assert type(batch["p"]) is Point and batch["p"].y.dtype is bt.float64
    assert batch["l"][0].tolist() == [1, 2] and batch["l"][1] == ("u", "v")
    assert type(default_collate([(1, 2), (3, 4)])) is list
    ordered = default_collate([collections.OrderedDict(a=1)])
    assert type(ordered) is collections.OrderedDict


def test_default_collate_errors():
    with pytest.raises(RuntimeError, match="each element in list of batch should be of equal"):
        default_collate([[1, 2], [3]])
    with pytest.raises(TypeError, match="batch must contain tensors, numpy arrays, numbers"):
        default_collate([object()])
    with pytest.raises(TypeError, match="found <U1"):
        default_collate([np.array(["a"])])


def test_default_convert():
    converted = default_convert({"a": np.arange(2), "t": (np.float64(1.5), "s"), "p": Point(1, 2)})
    assert converted["a"].tolist() == [0, 1] and converted["t"][1] == "s"
    assert converted["t"][0].dtype is bt.float64 and type(converted["t"]) is list
    assert converted["p"] == Point(1, 2)
    text = np.array(["x"])
    assert default_convert(text) is text


# ---------------------------------------------------------------- DataLoader


@needs_random
def test_batching_and_lengths():
    data = TensorDataset(bt.arange(5))
    assert [b[0].tolist() for b in DataLoader(data, batch_size=2)] == [[0, 1], [2, 3], [4]]
    assert len(DataLoader(data, batch_size=2)) == 3
    assert len(DataLoader(data, batch_size=2, drop_last=True)) == 2
    dropped = DataLoader(data, batch_size=2, drop_last=True)
    assert [b[0].tolist() for b in dropped] == [[0, 1], [2, 3]]
    # batch_size=None: default_convert, which leaves Python numbers as they are
    assert list(DataLoader(Squares(3), batch_size=None)) == [0, 1, 4]
    loader = DataLoader(Squares(6), batch_sampler=[[5, 0], [2]])
    assert batches(loader) == [[25, 0], [4]] and len(loader) == 2
    loader = DataLoader(Squares(6), sampler=[4, 1, 3], batch_size=2, collate_fn=tuple)
    assert list(loader) == [(16, 1), (9,)]


@needs_random
def test_iterable_datasets():
    assert batches(DataLoader(Stream(5), batch_size=2)) == [[0, 1], [2, 3], [4]]
    assert batches(DataLoader(Stream(5), batch_size=2, drop_last=True)) == [[0, 1], [2, 3]]
    assert list(DataLoader(Stream(3), batch_size=None)) == [0, 1, 2]
    assert len(DataLoader(Stream(5), batch_size=2)) == 3
    assert len(DataLoader(Stream(5), batch_size=2, drop_last=True)) == 2


@needs_random
def test_shuffle_is_reproducible_with_a_generator():
    data = Squares(20)

    def loader():
        return DataLoader(data, batch_size=4, shuffle=True, generator=bt.Generator().manual_seed(5))

    first, again = batches(loader()), batches(loader())
    assert first == again
    assert sorted(x for b in first for x in b) == sorted(data[i] for i in range(20))
    loader = loader()
    assert batches(loader) != batches(loader)  # each pass draws a new permutation


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"num_workers": -1}, "num_workers option should be non-negative"),
        ({"timeout": -1}, "timeout option should be non-negative"),
        ({"prefetch_factor": 2}, "prefetch_factor option could only be specified in multi"),
        ({"num_workers": 1, "prefetch_factor": -1}, "prefetch_factor option should be non-neg"),
        ({"persistent_workers": True}, "persistent_workers option needs num_workers > 0"),
        ({"sampler": [0], "shuffle": True}, "sampler option is mutually exclusive with shuffle"),
        ({"batch_sampler": [[0]], "batch_size": 2}, "batch_sampler option is mutually exclusive"),
        ({"batch_size": None, "drop_last": True}, "batch_size=None option disables auto-batch"),
        ({"multiprocessing_context": "fork"}, "multiprocessing_context can only be used with"),
        ({"num_workers": 1, "multiprocessing_context": "nope"}, "should specify a valid start"),
        ({"num_workers": 1, "multiprocessing_context": 3}, "should be a valid context object"),
    ],
)
def test_loader_argument_errors(kwargs, message):
    kind = TypeError if kwargs.get("multiprocessing_context") == 3 else ValueError
    with pytest.raises(kind, match=message):
        DataLoader(Squares(), **kwargs)


def test_iterable_dataset_argument_errors_and_frozen_attributes():
    for name in ("shuffle", "sampler", "batch_sampler"):
        value = True if name == "shuffle" else [[0]]
        with pytest.raises(ValueError, match=f"expected unspecified {name} option, but got"):
            DataLoader(Stream(3), **{name: value})
    loader = DataLoader(Squares())
    with pytest.raises(ValueError, match="batch_size attribute should not be set after DataLoader"):
        loader.batch_size = 3
    loader.num_workers = 0  # not frozen, as in torch


@needs_random
def test_pin_memory_warns_without_a_gpu():
    try:
        import cupy  # noqa: F401
    except ImportError:
        with pytest.warns(UserWarning, match="'pin_memory' argument is set as true but no acc"):
            iter(DataLoader(Squares(), pin_memory=True))


# ---------------------------------------------------------------- workers


@needs_random
def test_workers_keep_sampler_order():
    data = Squares(23)
    expected = batches(DataLoader(data, batch_size=3))
    for workers in (1, 2, 3):
        assert batches(DataLoader(data, batch_size=3, num_workers=workers)) == expected
    from_workers = list(DataLoader(TensorDataset(bt.arange(4.0)), batch_size=2, num_workers=1))
    assert all(b[0].backend == bt.get_default_backend() for b in from_workers)  # not NumPy's
    shuffled = {}
    for workers in (0, 2):
        g = bt.Generator().manual_seed(11)
        loader = DataLoader(data, batch_size=3, shuffle=True, num_workers=workers, generator=g)
        shuffled[workers] = batches(loader)
    assert shuffled[0] == shuffled[2]


@needs_random
def test_workers_out_of_order_still_deliver_everything():
    loader = DataLoader(Slow(), batch_size=None, num_workers=2, in_order=False)
    assert sorted(loader) == [0, 1, 2, 3]


@needs_random
def test_worker_identity_seeds_and_init_fn():
    seen = batches(DataLoader(WhoAmI(), batch_size=None, num_workers=2, worker_init_fn=_set_env))
    ids = [s[0] for s in seen]
    assert ids == [0, 1, 0, 1]
    seeds = {s[0]: s[1] for s in seen}
    assert seeds[1] == seeds[0] + 1  # base seed + worker id, as in torch
    assert all(s[1] == s[2] for s in seen)  # the worker's global generator is seeded with it
    assert len({s[3] for s in seen}) == 2 and os.getpid() not in {s[3] for s in seen}
    assert get_worker_info() is None


def _set_env(worker_id: int) -> None:
    info = get_worker_info()
    assert info.id == worker_id and info.num_workers == 2
    with pytest.raises(RuntimeError, match="Cannot assign attributes to WorkerInfo objects"):
        info.id = 5


@needs_random
def test_iterable_dataset_with_workers_interleaves_their_streams():
    loader = DataLoader(Stream(7), batch_size=2, num_workers=2)
    # worker 0 reads 0, 2, 4, 6 and worker 1 reads 1, 3, 5; batches alternate between them.
    assert batches(loader) == [[0, 2], [1, 3], [4, 6], [5]]


@needs_random
def test_worker_errors_reach_the_main_process():
    with pytest.raises(KeyError, match=r"Caught KeyError in DataLoader worker process \d"):
        list(DataLoader(Fails(), batch_size=2, num_workers=2))
    with pytest.raises(ZeroDivisionError, match="Caught ZeroDivisionError in DataLoader worker"):
        list(DataLoader(Squares(), num_workers=1, worker_init_fn=_divide_by_zero))


@needs_random
def test_persistent_workers_serve_several_passes():
    loader = DataLoader(Squares(9), batch_size=2, num_workers=2, persistent_workers=True)
    first = batches(loader)
    pids = {w.pid for w in loader._iterator.workers}
    for piece in loader:  # an abandoned pass leaves stale batches in flight
        break
    assert batches(loader) == first
    assert {w.pid for w in loader._iterator.workers} == pids
    streams = DataLoader(Stream(5), batch_size=2, num_workers=2, persistent_workers=True)
    assert batches(streams) == batches(streams) == [[0, 2], [1, 3], [4]]
    loader._iterator.shutdown()
    streams._iterator.shutdown()


@needs_random
def test_worker_timeout():
    with pytest.raises(RuntimeError, match=r"DataLoader timed out after 0.05 seconds"):
        list(DataLoader(Slow(), batch_size=None, num_workers=1, timeout=0.05))


class Dies(Dataset):
    def __getitem__(self, i):
        os._exit(3)

    def __len__(self) -> int:
        return 2


def _divide_by_zero(worker_id: int) -> None:
    return 1 / 0


@needs_random
def test_worker_death_is_reported():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(RuntimeError, match=r"DataLoader worker \(pid\(s\) \d+\) exited unexp"):
            list(DataLoader(Dies(), num_workers=1))


@needs_random
def test_loader_length_matches_iteration():
    for n, size, drop in [(10, 3, False), (10, 3, True), (9, 3, False), (1, 4, False)]:
        loader = DataLoader(Squares(n), batch_size=size, drop_last=drop)
        assert len(loader) == len(list(loader)) == (n // size if drop else math.ceil(n / size))
