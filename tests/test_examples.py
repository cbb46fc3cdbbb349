"""The examples run in their quick modes and do what they say; the digits MLP trained by
bridgetensor and by PyTorch (the same file, with `import bridgetensor` answered by torch)
reaches the same accuracy; a PyTorch-saved state_dict predicts identically.

Each example is loaded as a fresh module and its `main(argv)` called in this process (a
subprocess would cost an interpreter start and the imports again). scikit-learn supplies the
digits: the tests that need it skip without it (it is in the `examples` extra). The full
20-epoch run of digits_mlp runs only with BRIDGETENSOR_SLOW=1 (tox -e oracle sets it).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import numpy as np
import pytest

import bridgetensor as bt

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def load_example(name: str, library=None):
    """examples/<name>.py as a new module; with `library` (torch), its `import bridgetensor`
    binds that library instead, so the same PyTorch-style code runs on PyTorch."""
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    ours = sys.modules["bridgetensor"]
    if library is not None:
        sys.modules["bridgetensor"] = library
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules["bridgetensor"] = ours
    return module


@pytest.fixture(autouse=True)
def one_blas_thread():
    """Tiny matmuls: BLAS threads only add hand-offs (and stall on a busy machine)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        yield
        return
    with threadpool_limits(limits=1):
        yield


def needs_sklearn():
    pytest.importorskip("sklearn", reason="the digits examples need scikit-learn")


def cuda_available() -> bool:
    try:
        bt.zeros(1, device="cuda")
    except Exception:
        return False
    return True


def final_line(out: str) -> str:
    return [line for line in out.splitlines() if line.startswith("final test accuracy")][-1]


# --- digits_mlp ---------------------------------------------------------------------------


def test_digits_mlp_quick_learns_and_plots(tmp_path, capsys):
    needs_sklearn()
    png = tmp_path / "curves.png"
    history = load_example("digits_mlp").main(["--quick", "--plot", str(png)])
    out = capsys.readouterr().out
    assert len(history["loss"]) == 3
    assert history["loss"][0] > history["loss"][-1]
    assert history["accuracy"][-1] >= 0.90
    assert final_line(out) == f"final test accuracy: {100 * history['accuracy'][-1]:.2f}%"
    assert out.count("test accuracy") == 4  # one line per epoch, and the final one
    if importlib.util.find_spec("matplotlib") is None:
        assert "matplotlib is not installed" in out
    else:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"curves written to {png}" in out


def test_digits_mlp_without_tqdm_and_matplotlib(tmp_path, monkeypatch, capsys):
    needs_sklearn()
    example = load_example("digits_mlp")
    monkeypatch.setattr(example, "tqdm", None)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib` fails
    history = example.main(["--epochs", "1", "--hidden", "16", "--plot", str(tmp_path / "x.png")])
    captured = capsys.readouterr()
    assert "epoch  1/1  loss" in captured.out
    assert "matplotlib is not installed: no plot" in captured.out
    assert "it/s" not in captured.err  # no progress bar
    assert not (tmp_path / "x.png").exists()
    assert len(history["accuracy"]) == 1


def test_digits_mlp_quick_from_the_environment(monkeypatch):
    needs_sklearn()
    example = load_example("digits_mlp")
    assert example.parse_args([]).epochs == 20
    monkeypatch.setenv("BRIDGETENSOR_EXAMPLES_QUICK", "1")
    assert example.parse_args([]).epochs == 3
    assert example.parse_args(["--epochs", "5"]).epochs == 5


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("BRIDGETENSOR_SLOW") != "1",
    reason="the full 20-epoch run (a few seconds): set BRIDGETENSOR_SLOW=1 (tox -e oracle sets it)",
)
def test_digits_mlp_full_run_reaches_97_percent(capsys):
    needs_sklearn()
    history = load_example("digits_mlp").main(["--plot", ""])
    assert len(history["accuracy"]) == 20
    assert history["accuracy"][-1] >= 0.97
    assert "final test accuracy" in capsys.readouterr().out


@pytest.mark.oracle
def test_digits_mlp_reaches_pytorchs_accuracy(capsys):
    """Same seed, data, shuffling and hyper-parameters: the same test accuracy (to 0.5 points).

    manual_seed gives both the same initial weights (bridgetensor reproduces torch's draws)
    and DataLoader(generator=...) the same batches, so the runs agree far closer than that.
    """
    torch = pytest.importorskip("torch")
    needs_sklearn()
    argv = ["--hidden", "64", "--epochs", "3", "--batch-size", "64", "--plot", ""]
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        theirs = load_example("digits_mlp", library=torch).main(argv)
    finally:
        torch.set_num_threads(threads)
    ours = load_example("digits_mlp").main(argv)
    capsys.readouterr()
    assert abs(ours["accuracy"][-1] - theirs["accuracy"][-1]) <= 0.005
    np.testing.assert_allclose(ours["loss"], theirs["loss"], rtol=1e-3)


# --- digits_cnn ---------------------------------------------------------------------------


def needs_conv_layers():
    missing = [n for n in ("Conv2d", "MaxPool2d") if not hasattr(bt.nn, n)]
    if missing or not hasattr(bt, "flatten"):
        pytest.skip(f"bridgetensor has no {', '.join(missing or ['flatten'])} yet (nn layers)")


def test_digits_cnn_quick_learns(capsys):
    needs_sklearn()
    needs_conv_layers()
    history = load_example("digits_cnn").main(["--quick"])
    out = capsys.readouterr().out
    assert len(history["loss"]) == 2
    assert history["loss"][0] > history["loss"][-1]
    assert history["accuracy"][-1] >= 0.85
    assert final_line(out) == f"final test accuracy: {100 * history['accuracy'][-1]:.2f}%"


@pytest.mark.oracle
def test_digits_cnn_reaches_pytorchs_accuracy(capsys):
    torch = pytest.importorskip("torch")
    needs_sklearn()
    needs_conv_layers()
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        theirs = load_example("digits_cnn", library=torch).main(["--epochs", "1"])
    finally:
        torch.set_num_threads(threads)
    ours = load_example("digits_cnn").main(["--epochs", "1"])
    capsys.readouterr()
    assert abs(ours["accuracy"][-1] - theirs["accuracy"][-1]) <= 0.005
    np.testing.assert_allclose(ours["loss"], theirs["loss"], rtol=1e-3)


# --- numpy_gradients ------------------------------------------------------------------------


def test_numpy_gradients(capsys):
    if not isinstance(np.sin(bt.from_numpy(np.zeros(1))), bt.Tensor):
        pytest.skip("np.sin(tensor) is not a Tensor: NumPy's protocols are not in this tree yet")
    result = load_example("numpy_gradients").main(["--quick"])
    out = capsys.readouterr().out
    assert result["derivative_error"] < 1e-12
    assert result["losses"][-1] < 0.5 * result["losses"][0]
    assert result["loss"] == pytest.approx(result["loss_on_arrays"], rel=1e-12)
    assert result["accuracy"] >= 0.9
    assert "autograd vs hand-derived derivative" in out


# --- torch_checkpoint -------------------------------------------------------------------------


@pytest.mark.oracle
def test_torch_checkpoint_predicts_as_pytorch(capsys):
    pytest.importorskip("torch")
    needs_sklearn()
    result = load_example("torch_checkpoint").main(["--quick"])
    out = capsys.readouterr().out
    assert result["same_class"] == len(result["logits"])
    np.testing.assert_allclose(result["logits"], result["torch_logits"], rtol=1e-5, atol=1e-6)
    assert result["round_trip"] is True
    assert "weights identical: True" in out


def test_torch_checkpoint_without_torch_explains(monkeypatch, capsys):
    needs_sklearn()
    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` fails
    assert load_example("torch_checkpoint").main(["--quick"]) == {}
    assert "PyTorch is not installed" in capsys.readouterr().out


def test_torch_checkpoint_loads_a_given_file(tmp_path, capsys):
    """--checkpoint reads a .pt file (here written by bt.save in torch's format) without torch."""
    needs_sklearn()
    example = load_example("torch_checkpoint")
    bt.manual_seed(1)
    model = example.make_mlp(bt.nn)
    path = tmp_path / "mlp.pt"
    bt.save(model.state_dict(), str(path), format="torch")
    result = example.main(["--checkpoint", str(path)])
    x_test = example.load_data()[1]
    with bt.no_grad():
        expected = model(bt.as_tensor(x_test))
    np.testing.assert_array_equal(result["logits"], bt.to_numpy(expected))
    assert "weights from mlp.pt" in capsys.readouterr().out


# --- cupy_mlp -------------------------------------------------------------------------------


def test_cupy_mlp_runs_the_same_code_on_cpu(capsys):
    needs_sklearn()
    result = load_example("cupy_mlp").main(["--device", "cpu", "--quick"])
    assert result["device"] == "cpu"
    assert result["accuracy"][-1] >= 0.9
    assert final_line(capsys.readouterr().out).startswith("final test accuracy on cpu: ")


@pytest.mark.skipif(cuda_available(), reason="a CUDA device is available")
def test_cupy_mlp_says_why_without_a_gpu(capsys):
    needs_sklearn()
    assert load_example("cupy_mlp").main(["--quick"]) == {}
    assert "skipped: no 'cuda' device here" in capsys.readouterr().out


@pytest.mark.skipif(not cuda_available(), reason="needs CuPy and an NVIDIA GPU")
def test_cupy_mlp_on_the_gpu(capsys):
    needs_sklearn()
    result = load_example("cupy_mlp").main(["--quick"])
    assert result["device"].startswith("cuda")
    assert result["accuracy"][-1] >= 0.9
