"""torch's default collation: how DataLoader turns a list of samples into a batch."""

from __future__ import annotations

import collections.abc
import copy

import numpy as np

import bridgetensor as bt  # torch's names, read at call time

__all__ = ["default_collate", "default_convert"]

_COLLATE_ERROR = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"
)


def _is_numpy(value) -> bool:
    return type(value).__module__ == "numpy" and not isinstance(value, (np.str_, np.bytes_))


def _is_text_array(array) -> bool:
    return isinstance(array, np.ndarray) and array.dtype.kind in "SaUO"


def default_collate(batch):
    """Stack a list of samples into a batch, recursing into dicts, tuples and lists:
    tensors are stacked, NumPy arrays and numbers become tensors (Python floats as
    float64, ints as int64), strings stay lists, as torch's ``default_collate`` does.

    >>> import bridgetensor as bt
    >>> from bridgetensor.utils.data import default_collate
    >>> default_collate([(bt.zeros(2), 1), (bt.ones(2), 2)])
    [tensor([[0., 0.],
            [1., 1.]]), tensor([1, 2])]
    """
    elem = batch[0]
    kind = type(elem)
    if isinstance(elem, bt.Tensor):
        return bt.stack(list(batch), 0)
    if _is_numpy(elem):
        if _is_text_array(elem):
            raise TypeError(_COLLATE_ERROR.format(elem.dtype))
        if isinstance(elem, np.ndarray):
            return default_collate([bt.as_tensor(b) for b in batch])
        if elem.shape == ():  # NumPy scalars keep their dtype
            return bt.as_tensor(np.asarray(batch))
    if isinstance(elem, float):
        return bt.tensor(batch, dtype=bt.float64)
    if isinstance(elem, int):  # bools too, giving a bool tensor as in torch
        return bt.tensor(batch)
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, collections.abc.Mapping):
        columns = {key: default_collate([d[key] for d in batch]) for key in elem}
        return _rebuild_mapping(elem, columns)
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # namedtuple
        return kind(*(default_collate(samples) for samples in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        size = len(elem)
        if any(len(sample) != size for sample in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        columns = [default_collate(samples) for samples in zip(*batch)]
        # torch gives tuples back as lists, and keeps other sequence types where it can.
        return columns if isinstance(elem, tuple) else _rebuild_sequence(elem, columns)
    raise TypeError(_COLLATE_ERROR.format(kind))


def default_convert(data):
    """Turn NumPy arrays and scalars inside `data` into tensors without batching (what
    DataLoader applies when ``batch_size=None``).

    >>> import numpy as np
    >>> from bridgetensor.utils.data import default_convert
    >>> default_convert({"x": np.arange(2)})
    {'x': tensor([0, 1])}
    """
    kind = type(data)
    if isinstance(data, bt.Tensor):
        return data
    if _is_numpy(data):
        return data if _is_text_array(data) else bt.as_tensor(data)
    if isinstance(data, collections.abc.Mapping):
        return _rebuild_mapping(data, {key: default_convert(data[key]) for key in data})
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return kind(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        return _rebuild_sequence(data, [default_convert(d) for d in data])
    return data


def _rebuild_mapping(elem, values: dict):
    """`values` in `elem`'s mapping type when it can be built, else a dict (as torch)."""
    try:
        if isinstance(elem, collections.abc.MutableMapping):
            clone = copy.copy(elem)  # keeps attributes of dict subclasses
            clone.update(values)
            return clone
        return type(elem)(values)
    except TypeError:
        return values


def _rebuild_sequence(elem, items: list):
    try:
        if isinstance(elem, collections.abc.MutableSequence):
            clone = copy.copy(elem)
            for i, item in enumerate(items):
                clone[i] = item
            return clone
        return type(elem)(items)
    except TypeError:
        return items
