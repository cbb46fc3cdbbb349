"""DataLoader: batches from a dataset, in order, in this process or in worker processes."""

from __future__ import annotations

import importlib.util
import multiprocessing
import warnings

from ._collate import default_collate, default_convert
from .dataset import IterableDataset
from .sampler import BatchSampler, RandomSampler, SequentialSampler, draw_seed

__all__ = ["DataLoader"]

# Attributes torch refuses to change once a DataLoader exists (they fix its batching).
_FROZEN = ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset", "persistent_workers")


class _InfiniteConstantSampler:
    """The 'sampler' of an iterable dataset: no indices, just a pace."""

    def __iter__(self):
        while True:
            yield None


class DataLoader:
    """Iterate over `dataset` in batches, with torch's arguments and behaviour.

    Map-style datasets are read through a sampler (sequential, or `RandomSampler` when
    ``shuffle=True``, which gives torch's order for the same seed or `generator`),
    grouped into lists of `batch_size` indices and merged by `collate_fn`
    (`default_collate` stacks tensors). With ``num_workers > 0`` worker processes load
    batches ahead, and batches still arrive in sampler order. ``pin_memory`` is accepted
    (there is no pinned memory to use without a GPU).

    >>> import bridgetensor as bt
    >>> from bridgetensor.utils.data import DataLoader, TensorDataset
    >>> data = TensorDataset(bt.arange(5.0), bt.arange(5))
    >>> [y.tolist() for _, y in DataLoader(data, batch_size=2)]
    [[0, 1], [2, 3], [4]]
    """

    def __init__(
        self,
        dataset,
        batch_size: int | None = 1,
        shuffle: bool | None = None,
        sampler=None,
        batch_sampler=None,
        num_workers: int = 0,
        collate_fn=None,
        pin_memory: bool = False,
        drop_last: bool = False,
        timeout: float = 0,
        worker_init_fn=None,
        multiprocessing_context=None,
        generator=None,
        *,
        prefetch_factor: int | None = None,
        persistent_workers: bool = False,
        pin_memory_device: str = "",
        in_order: bool = True,
    ) -> None:
        if num_workers < 0:
            raise ValueError(
                "num_workers option should be non-negative; use num_workers=0 to disable "
                "multiprocessing."
            )
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError(
                "prefetch_factor option could only be specified in multiprocessing.let "
                "num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to "
                "None."
            )
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        elif prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.in_order = in_order

        self._iterable = isinstance(dataset, IterableDataset)
        if self._iterable:
            if shuffle not in (False, None):
                raise ValueError(
                    "DataLoader with IterableDataset: expected unspecified shuffle option, "
                    f"but got shuffle={shuffle}"
                )
            if sampler is not None:
                raise ValueError(
                    "DataLoader with IterableDataset: expected unspecified sampler option, "
                    f"but got sampler={sampler}"
                )
            if batch_sampler is not None:
                raise ValueError(
                    "DataLoader with IterableDataset: expected unspecified batch_sampler "
                    f"option, but got batch_sampler={batch_sampler}"
                )
        else:
            shuffle = bool(shuffle)
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError(
                    "batch_sampler option is mutually exclusive with batch_size, shuffle, "
                    "sampler, and drop_last"
                )
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError(
                "batch_size=None option disables auto-batching and is mutually exclusive "
                "with drop_last"
            )
        if sampler is None:
            if self._iterable:
                sampler = _InfiniteConstantSampler()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)

        self.dataset = dataset
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers
        self._iterator = None
        self.__initialized = True

    def __setattr__(self, name: str, value) -> None:
        if name in _FROZEN and self.__dict__.get("_DataLoader__initialized"):
            raise ValueError(
                f"{name} attribute should not be set after {type(self).__name__} is initialized"
            )
        super().__setattr__(name, value)

    @property
    def multiprocessing_context(self):
        return self.__multiprocessing_context

    @multiprocessing_context.setter
    def multiprocessing_context(self, context) -> None:
        if context is not None:
            if self.num_workers == 0:
                raise ValueError(
                    "multiprocessing_context can only be used with multi-process loading "
                    f"(num_workers > 0), but got num_workers={self.num_workers}"
                )
            if isinstance(context, str):
                methods = multiprocessing.get_all_start_methods()
                if context not in methods:
                    raise ValueError(
                        "multiprocessing_context option should specify a valid start method "
                        f"in {methods!r}, but got multiprocessing_context={context!r}"
                    )
                context = multiprocessing.get_context(context)
            elif not isinstance(context, multiprocessing.context.BaseContext):
                raise TypeError(
                    "multiprocessing_context option should be a valid context object or a "
                    f"string specifying the start method, but got {context!r}"
                )
        self.__multiprocessing_context = context

    @property
    def _auto_collation(self) -> bool:
        return self.batch_sampler is not None

    @property
    def _index_sampler(self):
        return self.batch_sampler if self._auto_collation else self.sampler

    def __iter__(self):
        if self.num_workers == 0:
            return _SingleProcessIter(self)
        from ._worker import MultiProcessIter

        if not self.persistent_workers:
            return MultiProcessIter(self)
        if self._iterator is None:
            self._iterator = MultiProcessIter(self)
        else:
            self._iterator.reset(self)
        return self._iterator

    def __len__(self) -> int:
        if not self._iterable:
            return len(self._index_sampler)
        length = len(self.dataset)
        if self.batch_size is not None:
            whole, rest = divmod(length, self.batch_size)
            length = whole + (1 if rest and not self.drop_last else 0)
        return length


class Fetcher:
    """Reads one batch (or one sample) for a list of indices; a worker holds one."""

    def __init__(self, loader_state) -> None:
        self.dataset, self.iterable, self.auto_collation, self.collate_fn, self.drop_last = (
            loader_state
        )
        self.stream = iter(self.dataset) if self.iterable else None

    def fetch(self, index):
        if self.iterable:
            if not self.auto_collation:
                return self.collate_fn(next(self.stream))
            data = []
            for _ in index:
                try:
                    data.append(next(self.stream))
                except StopIteration:
                    break
            if not data or (self.drop_last and len(data) < len(index)):
                raise StopIteration
            return self.collate_fn(data)
        if not self.auto_collation:
            return self.collate_fn(self.dataset[index])
        if self.collate_fn is default_collate:
            # A TensorDataset's batch is its tensors indexed by the batch: the same list of
            # stacked rows default_collate would build, gathered in one op per tensor
            # instead of one per sample (measured: the digits epoch's main cost before).
            collated = getattr(self.dataset, "_collated_batch", None)
            if collated is not None:
                return collated(index)
        batch_fetch = getattr(self.dataset, "__getitems__", None)
        if callable(batch_fetch):
            return self.collate_fn(batch_fetch(index))
        return self.collate_fn([self.dataset[i] for i in index])


def loader_state(loader: DataLoader) -> tuple:
    return (
        loader.dataset,
        loader._iterable,
        loader._auto_collation,
        loader.collate_fn,
        loader.drop_last,
    )


class BaseIter:
    """What both iterators share: the index stream and torch's base-seed draw."""

    def __init__(self, loader: DataLoader) -> None:
        self.index_sampler = loader._index_sampler
        if loader.pin_memory and importlib.util.find_spec("cupy") is None:
            warnings.warn(
                "'pin_memory' argument is set as true but no accelerator is found, then "
                "device pinned memory won't be used.",
                stacklevel=3,
            )
        self.sampler_iter = iter(self.index_sampler)
        # torch draws the workers' base seed from the loader's generator on every new
        # iterator, even without workers, and before the sampler draws: kept for its order.
        self.base_seed = draw_seed(loader.generator)
        self.num_yielded = 0

    def __iter__(self):
        return self

    def __len__(self) -> int:
        return len(self.index_sampler)

    def next_index(self):
        return next(self.sampler_iter)  # StopIteration ends the pass


class _SingleProcessIter(BaseIter):
    def __init__(self, loader: DataLoader) -> None:
        super().__init__(loader)
        self.fetcher = Fetcher(loader_state(loader))

    def __next__(self):
        data = self.fetcher.fetch(self.next_index())
        self.num_yielded += 1
        return data
