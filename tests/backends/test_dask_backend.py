"""Dask arrays as the backend: forward and backward stay lazy; showing a value computes."""

from __future__ import annotations

import pytest

import bridgetensor as bt

da = pytest.importorskip("dask.array", reason="the Dask checks need dask[array]")
dask = pytest.importorskip("dask")
np = pytest.importorskip("numpy")


class _Counter(dask.callbacks.Callback):
    """Counts the graphs Dask's local schedulers run."""

    def __init__(self):
        super().__init__()
        self.runs = 0

    def _start(self, dsk):
        self.runs += 1


def _data():
    rng = da.random.default_rng(0)
    x = bt.asarray(rng.standard_normal((40, 3), chunks=(10, 3)))
    w = bt.asarray(da.full((3,), 0.5, chunks=3)).requires_grad_()
    return x, w


def test_foreign_dask_arrays_are_wrapped_as_they_are():
    raw = da.ones((4, 2), chunks=2)
    t = bt.asarray(raw)
    assert t.backend == "dask" and t._data is raw and t.shape == (4, 2)


def test_forward_and_backward_run_nothing_until_a_value_is_asked_for():
    x, w = _data()
    with _Counter() as counter:
        z = x @ w
        loss = ((z.abs() + 1.0).log() * z.relu()).mean()
        loss.backward()
        assert counter.runs == 0
        assert isinstance(loss._data, da.Array) and isinstance(w.grad._data, da.Array)
        value = loss.item()
        assert counter.runs == 1
        repr(w.grad)
        assert counter.runs == 2
        # An index tensor is read for torch's out-of-range check (its min and max) only.
        picked = w[bt.asarray(da.from_array(np.array([0, 0, 2])))].sum()
        checks = counter.runs - 2
        picked.backward()
        assert counter.runs == 2 + checks and checks <= 2
    expected = np.asarray(x._data.compute()) @ np.full(3, 0.5)
    ref = (np.log(np.abs(expected) + 1) * np.maximum(expected, 0)).mean()
    assert value == pytest.approx(ref)


def test_persist_computes_several_tensors_in_one_pass():
    x, w = _data()
    loss = (x @ w).exp().mean()
    loss.backward()
    with _Counter() as counter:
        assert bt.persist(loss, w.grad, None)[0] is loss
        assert counter.runs == 1
        loss.item(), w.grad.tolist()
        assert counter.runs == 3  # in-memory graphs: each read is a trivial run
    assert isinstance(w.grad._data, da.Array) and loss.requires_grad


def test_scatter_with_repeated_indices_is_lazy_and_sums():
    be = bt.asarray(da.zeros(1))._be
    target = da.zeros((3, 2), chunks=1)
    with _Counter() as counter:
        out = be.scatter_add(target, (da.from_array(np.array([0, 0, 2])),), da.ones((3, 2)))
        assert counter.runs == 0
    assert out.compute().tolist() == [[2, 2], [0, 0], [1, 1]]
    assert target.compute().tolist() == [[0, 0]] * 3  # the input is untouched


def test_in_place_updates_build_graphs_too():
    _, w = _data()
    with _Counter() as counter, bt.no_grad():
        w -= 0.25
        w.mul_(2.0)
        assert counter.runs == 0
    assert w.tolist() == [0.5, 0.5, 0.5]


def test_linalg_missing_from_dask_runs_numpys_as_one_lazy_task():
    a = bt.asarray(da.from_array(np.array([[4.0, 1.0], [1.0, 3.0]]), chunks=1))
    with _Counter() as counter:
        values = bt.linalg.eigvalsh(a)
        det = bt.linalg.det(a)
        assert counter.runs == 0
    np.testing.assert_allclose(values.numpy(), np.linalg.eigvalsh([[4.0, 1.0], [1.0, 3.0]]))
    assert det.item() == pytest.approx(11.0)


def test_wide_identity_matrices():
    be = bt.asarray(da.zeros(1))._be
    assert be.xp.eye(2, 3).compute().tolist() == [[1, 0, 0], [0, 1, 0]]
    assert be.xp.eye(0, 2).shape == (0, 2)


def test_example_fits_a_logistic_regression_on_a_local_cluster(tmp_path):
    pytest.importorskip("dask.distributed", reason="the example needs dask.distributed")
    import importlib.util
    import pathlib

    path = pathlib.Path(__file__).parents[2] / "examples" / "dask_regression.py"
    spec = importlib.util.spec_from_file_location("dask_regression", path)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    before = bt.get_default_backend()
    found = example.main(
        ["--gigabytes", "0.004", "--chunk-mb", "0.5", "--steps", "3", "--workers", "1"]
    )
    assert bt.get_default_backend() == before
    assert found["finite"] and found["losses"][-1] < found["losses"][0]
    assert found["cosine"] > 0.9


def _tasks(t) -> int:
    return len(t._data.__dask_graph__())


def test_optimizer_steps_leave_the_parameters_computed():
    # Without a persist per step, each step's update would pile onto the parameter's graph
    # and every later value would recompute all the steps before it.
    x, w = _data()
    optimizer = bt.optim.SGD([w], lr=0.1, momentum=0.9)
    for _ in range(5):
        optimizer.zero_grad()
        (x @ w).square().mean().backward()
        optimizer.step()
        assert _tasks(w) == 1 and _tasks(optimizer.state[w]["momentum_buffer"]) == 1
    reference = np.full(3, 0.5)
    buffer = np.zeros(3)
    data = np.asarray(x._data.compute())
    for _ in range(5):
        grad = 2 * data.T @ (data @ reference) / len(data)
        buffer = 0.9 * buffer + grad if buffer.any() else grad
        reference = reference - 0.1 * buffer
    np.testing.assert_allclose(bt.to_numpy(w.detach()), reference, rtol=1e-12)


def test_refilling_a_tensor_does_not_keep_the_old_graph():
    t = bt.empty(4)
    alias = t.detach()
    for _ in range(20):
        t.uniform_()
        t.copy_(t * 2.0)
    assert _tasks(t) <= 4
    assert bt.equal(alias, t)  # the write reached the alias sharing t's array
