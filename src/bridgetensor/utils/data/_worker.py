"""DataLoader worker processes: each reads whole batches; the main process hands out
index lists round-robin and puts the batches back in sampler order.

Every task carries the pass ("epoch") it belongs to, so a persistent worker pool can start
a new pass while stale batches of an abandoned one are still in flight: they are dropped.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import queue
import random
import sys
import time
import traceback
from multiprocessing.reduction import ForkingPickler

import numpy as np

from ..._backend import get_backend
from ..._interop import host_array
from ..._tensor import Tensor
from ...autograd._primitive import _wrap
from .dataloader import BaseIter, Fetcher, loader_state

__all__ = ["MultiProcessIter", "WorkerInfo", "get_worker_info"]

_POLL = 0.5  # seconds between the main process's checks that workers are alive
_WORKER_POLL = 0.1  # seconds between a worker's checks for shutdown
_STOP = -1  # the epoch value that tells workers to exit


def _rebuild_tensor(array: np.ndarray, backend: str, requires_grad: bool) -> Tensor:
    be = get_backend(backend)
    t = _wrap(array if be.is_numpy else be.xp.asarray(array), be, None)
    t._requires_grad = requires_grad
    return t


def _reduce_tensor(t: Tensor):
    # Batches cross from workers as host arrays; they land on the backend they came from
    # (plain pickling of a Tensor gives a NumPy one, whatever its backend).
    array = np.asarray(host_array(t.detach()._data, t._be))
    return _rebuild_tensor, (array, t._be.name, t.requires_grad)


ForkingPickler.register(Tensor, _reduce_tensor)


class WorkerInfo:
    """What a DataLoader worker process knows about itself (see `get_worker_info`)."""

    __slots__ = ("dataset", "id", "num_workers", "seed")

    def __init__(self, *, id: int, num_workers: int, seed: int, dataset) -> None:
        for name, value in (("id", id), ("num_workers", num_workers), ("seed", seed)):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "dataset", dataset)

    def __setattr__(self, name, value) -> None:
        raise RuntimeError(f"Cannot assign attributes to {type(self).__name__} objects")

    def __repr__(self) -> str:
        return (
            f"WorkerInfo(id={self.id}, num_workers={self.num_workers}, seed={self.seed}, "
            f"dataset={self.dataset!r})"
        )


_info: WorkerInfo | None = None


def get_worker_info() -> WorkerInfo | None:
    """In a DataLoader worker process: its id, the number of workers, its seed and its
    copy of the dataset (an IterableDataset uses them to read only its share). None in
    the main process.

    >>> from bridgetensor.utils.data import get_worker_info
    >>> get_worker_info() is None
    True
    """
    return _info


class _Failure:
    """An exception raised in a worker, carried to the main process and raised there."""

    def __init__(self, where: str) -> None:
        kind = sys.exc_info()[0]
        self.kind = kind
        self.text = f"Caught {kind.__name__} {where}.\nOriginal {traceback.format_exc()}"

    def reraise(self):
        try:
            error = self.kind(self.text)
        except Exception:
            error = RuntimeError(self.text)  # an exception type that wants other arguments
        raise error


class _Exhausted:
    """A worker's IterableDataset copy has run out for this pass."""

    def __init__(self, worker_id: int) -> None:
        self.worker_id = worker_id


def _numpy_seed(base_seed: int, worker_id: int) -> list[int]:
    # torch seeds each worker's NumPy global generator from SeedSequence-style hashing of
    # (worker id, base seed); NumPy's SeedSequence is that algorithm.
    entropy = [worker_id, base_seed & 0xFFFFFFFF, base_seed >> 32, 0]
    return np.random.SeedSequence(entropy).generate_state(4).tolist()


def _worker_loop(state, index_queue, result_queue, epoch, base_seed, init_fn, worker_id, count):
    global _info
    import bridgetensor as bt

    seed = base_seed + worker_id
    random.seed(seed)
    bt.manual_seed(seed)
    np.random.seed(_numpy_seed(base_seed, worker_id))
    _info = WorkerInfo(id=worker_id, num_workers=count, seed=seed, dataset=state[0])
    parent = os.getppid()
    failure = fetcher = None
    try:
        if init_fn is not None:
            init_fn(worker_id)
    except Exception:
        failure = _Failure(f"in DataLoader worker process {worker_id}")
    current, exhausted = None, False
    while True:
        try:
            task = index_queue.get(timeout=_WORKER_POLL)
        except queue.Empty:
            if epoch.value == _STOP or os.getppid() != parent:
                break  # shut down, or the main process died
            continue
        if task is None:
            break
        task_epoch, task_id, index = task
        if task_epoch != epoch.value:
            continue  # from a pass the main process abandoned
        if task_epoch != current:  # a new pass: a fresh stream over the dataset
            current, exhausted = task_epoch, False
            if failure is None:
                try:
                    fetcher = Fetcher(state)
                except Exception:
                    failure = _Failure(f"in DataLoader worker process {worker_id}")
        if failure is not None:
            data, failure = failure, None
        elif exhausted:
            continue
        else:
            try:
                data = fetcher.fetch(index)
            except StopIteration:
                data, exhausted = _Exhausted(worker_id), True
            except Exception:
                data = _Failure(f"in DataLoader worker process {worker_id}")
        result_queue.put((task_epoch, task_id, data))
    result_queue.cancel_join_thread()  # unread batches must not keep this process alive


class MultiProcessIter(BaseIter):
    def __init__(self, loader) -> None:
        super().__init__(loader)
        context = loader.multiprocessing_context or multiprocessing.get_context()
        self.count = loader.num_workers
        self.prefetch = loader.prefetch_factor * self.count
        self.timeout = loader.timeout
        self.in_order = loader.in_order
        self.persistent = loader.persistent_workers
        self.epoch = context.Value("q", 0, lock=False)
        self.results = context.Queue()
        self.index_queues, self.workers = [], []
        state = loader_state(loader)
        for worker_id in range(self.count):
            index_queue = context.Queue()
            index_queue.cancel_join_thread()
            worker = context.Process(
                target=_worker_loop,
                args=(
                    state,
                    index_queue,
                    self.results,
                    self.epoch,
                    self.base_seed,
                    loader.worker_init_fn,
                    worker_id,
                    self.count,
                ),
                daemon=True,
            )
            worker.start()
            self.index_queues.append(index_queue)
            self.workers.append(worker)
        self.owner = os.getpid()  # forked workers inherit this object, but must not shut it
        self.shut = False
        self.start_pass()

    def reset(self, loader) -> None:
        """A new pass over persistent workers (torch keeps the base seed across passes)."""
        self.sampler_iter = iter(self.index_sampler)
        self.num_yielded = 0
        self.epoch.value += 1
        self.start_pass()

    def start_pass(self) -> None:
        self.sent = self.received = 0
        self.tasks: dict[int, list] = {}  # task id -> [worker id] or [worker id, data]
        self.active = [True] * self.count
        self.cycle = itertools.cycle(range(self.count))
        for _ in range(self.prefetch):
            self.send()

    def send(self) -> None:
        try:
            index = self.next_index()
        except StopIteration:
            return
        for _ in range(self.count):
            worker = next(self.cycle)
            if self.active[worker]:
                break
        else:
            return  # every worker's stream has ended
        self.index_queues[worker].put((self.epoch.value, self.sent, index))
        self.tasks[self.sent] = [worker]
        self.sent += 1

    def __next__(self):
        while True:
            # Skip tasks already handed out of order and tasks of exhausted workers.
            while self.received < self.sent:
                task = self.tasks.get(self.received)
                if task is not None and (len(task) == 2 or self.active[task[0]]):
                    break
                self.tasks.pop(self.received, None)
                self.received += 1
            else:
                if not self.persistent:
                    self.shutdown()
                raise StopIteration
            task = self.tasks[self.received]
            if len(task) == 2:
                return self.deliver(self.received, task[1])
            task_id, data = self.receive()
            if isinstance(data, _Exhausted):
                self.active[data.worker_id] = False
                self.tasks.pop(task_id, None)
                continue
            if task_id == self.received or not self.in_order:
                return self.deliver(task_id, data)
            self.tasks[task_id].append(data)

    def deliver(self, task_id: int, data):
        del self.tasks[task_id]
        self.send()
        if isinstance(data, _Failure):
            data.reraise()
        self.num_yielded += 1
        return data

    def receive(self) -> tuple:
        waited = 0.0
        while True:
            step = _POLL if not self.timeout else min(_POLL, self.timeout - waited)
            try:
                task_epoch, task_id, data = self.results.get(timeout=max(step, 0.0))
            except queue.Empty:
                waited += step
                dead = [w.pid for w in self.workers if not w.is_alive()]
                if dead:
                    self.shutdown()
                    raise RuntimeError(
                        f"DataLoader worker (pid(s) {', '.join(map(str, dead))}) exited "
                        "unexpectedly"
                    ) from None
                if self.timeout and waited >= self.timeout:
                    raise RuntimeError(
                        f"DataLoader timed out after {self.timeout} seconds"
                    ) from None
                continue
            if task_epoch == self.epoch.value and task_id in self.tasks:
                return task_id, data

    def shutdown(self) -> None:
        if self.shut or os.getpid() != self.owner:
            return
        self.shut = True
        # The flag, not only the queues: when this runs in garbage collection, a queue's
        # own finalizer may already have stopped its feeder thread, losing the None.
        self.epoch.value = _STOP
        for index_queue in self.index_queues:
            index_queue.put(None)
        deadline = time.monotonic() + 5.0
        for worker in self.workers:
            worker.join(timeout=max(deadline - time.monotonic(), 0.0))
            if worker.is_alive():
                worker.terminate()
        self.results.cancel_join_thread()
        self.results.close()

    def __del__(self) -> None:
        if not getattr(self, "shut", True):
            self.shutdown()
