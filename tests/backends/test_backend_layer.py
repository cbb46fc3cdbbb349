"""The backend layer itself: the registry, defaults, errors, persist and the xfail lists."""

from __future__ import annotations

import pathlib
import re

import pytest

import bridgetensor as bt
from bridgetensor._backend import Backend, backend_for_device, get_backend

from ..conftest import BACKEND, LISTS, expected_failures

TESTS = pathlib.Path(__file__).parents[1]


def test_names_and_aliases_resolve_to_one_cached_backend():
    numpy = get_backend("numpy")
    assert get_backend("np") is numpy and isinstance(numpy, Backend)
    assert repr(numpy) == "<bridgetensor backend 'numpy'>"
    strict = get_backend("strict")
    assert strict is get_backend("array-api-strict") and strict.name == "array_api_strict"


def test_unknown_backend_names_the_choices():
    with pytest.raises(ValueError, match=r"unknown backend 'numpi'; choose one of numpy, "):
        get_backend("numpi")


def test_a_missing_library_says_what_to_install(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def refuse(name, *args, **kwargs):
        if name.startswith("cupy"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", refuse)
    monkeypatch.delitem(bt._backend._BY_NAME, "cupy", raising=False)
    with pytest.raises(ImportError, match=r"backend 'cupy' needs the 'cupy' package"):
        get_backend("cupy")
    with pytest.raises(RuntimeError, match=r"CUDA tensors need CuPy, which is not installed"):
        bt.zeros(2, device="cuda")


def test_flags_of_each_loaded_backend():
    numpy = get_backend("numpy")
    assert numpy.mutable and not numpy.lazy and not numpy.is_gpu and numpy.is_numpy
    strict = get_backend("array_api_strict")
    assert strict.mutable and not strict.is_numpy and strict.host_dlpack


def test_set_default_backend_changes_where_new_tensors_go():
    before = bt.get_default_backend()
    try:
        bt.set_default_backend("array_api_strict")
        assert bt.zeros(2).backend == "array_api_strict"
        assert backend_for_device(None)[0].name == "array_api_strict"
    finally:
        bt.set_default_backend(before)
    assert bt.zeros(2).backend == before


def test_persist_leaves_eager_tensors_as_they_are():
    x = bt.ones(3)
    data = x._data
    assert bt.persist(x, None) == (x, None)
    if not x._be.lazy:
        assert x._data is data


def test_scatter_add_sums_repeated_positions_on_every_backend():
    be = bt.zeros(1)._be
    xp = be.xp
    target = xp.zeros((3, 2), dtype=be.native[bt.float64])
    key = (xp.asarray([0, 0, 2]), slice(None))
    values = xp.ones((3, 2), dtype=be.native[bt.float64])
    found = be.to_host(be.scatter_add(target, key, values))
    assert found.tolist() == [[2.0, 2.0], [0.0, 0.0], [1.0, 1.0]]
    basic = be.scatter_add(xp.zeros((3,), dtype=be.native[bt.float64]), 1, 5.0)
    assert be.to_host(basic).tolist() == [0.0, 5.0, 0.0]


def test_index_put_writes_or_rebinds():
    be = bt.zeros(1)._be
    array = be.xp.zeros((3,), dtype=be.native[bt.float32])
    out = be.index_put(array, (1,), 4.0)
    assert be.to_host(out).tolist() == [0.0, 4.0, 0.0]
    if be.views_alias:
        assert out is array


# ---------------------------------------------------------------- the expected-failure lists


def _list_files():
    return sorted(LISTS.glob("*.txt"))


@pytest.mark.parametrize("path", _list_files(), ids=lambda p: p.name)
def test_expected_failure_lists_are_well_formed(path):
    backend, _, device = path.stem.partition("-")
    listed = expected_failures(backend, device or None)
    assert listed, f"{path.name} lists nothing: delete it"
    for test_id, reason in listed.items():
        file, sep, name = test_id.partition("::")
        assert sep and name, f"{path.name}: {test_id!r} is not a test id"
        assert (TESTS.parent / file).exists(), f"{path.name}: no file {file}"
        assert re.match(r"[A-Za-z]", reason), f"{path.name}: {test_id} has no reason"


def test_conftest_reads_this_runs_list():
    assert isinstance(expected_failures(), dict)
    assert BACKEND == bt.get_default_backend()
