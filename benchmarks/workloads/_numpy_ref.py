"""Hand-written NumPy versions of the networks: the floor for a NumPy-backed framework.

The same math as torch's modules (Linear is ``x @ W.T + b``, cross-entropy is the mean of
-log_softmax at the targets, SGD momentum is torch's rule with the first buffer a copy of the
gradient), the same float32 dtype, no shortcut a framework could not take; the optimizer
updates parameters in place. tests/test_benchmarks.py checks them against PyTorch.
"""

from __future__ import annotations

import itertools
import math

import numpy as np


def linear_params(rng, sizes) -> list:
    """[W1, b1, W2, b2, ...] with torch's default Linear init, U(-1/sqrt(in), 1/sqrt(in))."""
    params = []
    for n_in, n_out in itertools.pairwise(sizes):
        bound = 1.0 / math.sqrt(n_in)
        params.append(rng.uniform(-bound, bound, (n_out, n_in)).astype(np.float32))
        params.append(rng.uniform(-bound, bound, n_out).astype(np.float32))
    return params


def cross_entropy(z, y):
    """(mean cross-entropy of logits z at integer targets y, its gradient wrt z)."""
    rows = np.arange(len(y))
    shifted = z - z.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    total = e.sum(axis=1, keepdims=True)
    loss = -(shifted[rows, y] - np.log(total[:, 0])).mean()
    dz = e / total
    dz[rows, y] -= 1.0
    dz /= len(y)
    return loss, dz


def mlp_loss_grads(params, x, y):
    """Loss and gradients of Linear-ReLU-...-Linear with cross-entropy."""
    inputs, h = [], x
    layers = len(params) // 2
    for i in range(layers):
        inputs.append(h)
        h = h @ params[2 * i].T + params[2 * i + 1]
        if i < layers - 1:
            h = np.maximum(h, 0.0)
    loss, g = cross_entropy(h, y)
    grads = [None] * len(params)
    for i in reversed(range(layers)):
        grads[2 * i] = g.T @ inputs[i]
        grads[2 * i + 1] = g.sum(axis=0)
        if i > 0:
            g = (g @ params[2 * i]) * (inputs[i] > 0)
    return loss, grads


def sgd_momentum_(params, grads, buffers, lr, momentum):
    """torch.optim.SGD(momentum=m) in place: buf = m * buf + g (buf = g at first); p -= lr * buf."""
    for i, (p, g) in enumerate(zip(params, grads)):
        if buffers[i] is None:
            buffers[i] = g.copy()
        else:
            buffers[i] *= momentum
            buffers[i] += g
        p -= lr * buffers[i]


def cnn_params(rng, channels=16, kernel=3, classes=10, image=8) -> list:
    """[conv W, conv b, linear W, linear b] with torch's default init bounds."""
    bound = 1.0 / math.sqrt(kernel * kernel)
    pooled = channels * ((image - kernel + 1) // 2) ** 2
    conv = [
        rng.uniform(-bound, bound, (channels, 1, kernel, kernel)).astype(np.float32),
        rng.uniform(-bound, bound, channels).astype(np.float32),
    ]
    return conv + linear_params(rng, (pooled, classes))


def cnn_loss_grads(params, x, y):
    """Conv2d(valid, stride 1) - ReLU - MaxPool2d(2) - flatten - Linear - cross-entropy.

    The convolution is im2col and one matmul, as CPU frameworks do; the input needs no
    gradient, so only the weights' gradients are computed (torch skips the rest too).
    """
    cw, cb, lw, lb = params
    n, c, _, _ = x.shape
    out_c, _, k, _ = cw.shape
    windows = np.lib.stride_tricks.sliding_window_view(x, (k, k), axis=(2, 3))
    ho, wo = windows.shape[2:4]
    cols = windows.transpose(0, 2, 3, 1, 4, 5).reshape(n * ho * wo, c * k * k)
    conv = (cols @ cw.reshape(out_c, -1).T + cb).reshape(n, ho, wo, out_c)  # NHWC
    r = np.maximum(conv, 0.0)
    # 2x2 pooling windows as a last axis of 4, in torch's row-major scan order.
    pooled_hw = (ho // 2, wo // 2)
    win = r[:, : 2 * pooled_hw[0], : 2 * pooled_hw[1]]
    win = win.reshape(n, pooled_hw[0], 2, pooled_hw[1], 2, out_c).transpose(0, 1, 3, 5, 2, 4)
    win = win.reshape(n, *pooled_hw, out_c, 4)
    arg = win.argmax(axis=-1)[..., None]  # NOTE: the first maximum wins ties, as in torch
    pooled = np.take_along_axis(win, arg, axis=-1)[..., 0]
    flat = pooled.transpose(0, 3, 1, 2).reshape(n, -1)  # torch flattens (C, H, W)
    z = flat @ lw.T + lb
    loss, dz = cross_entropy(z, y)
    dlw, dlb = dz.T @ flat, dz.sum(axis=0)
    dpooled = (dz @ lw).reshape(n, out_c, *pooled_hw).transpose(0, 2, 3, 1)
    dwin = np.zeros_like(win)
    np.put_along_axis(dwin, arg, dpooled[..., None], axis=-1)
    dr = np.zeros_like(r)
    dr[:, : 2 * pooled_hw[0], : 2 * pooled_hw[1]] = (
        dwin.reshape(n, *pooled_hw, out_c, 2, 2)
        .transpose(0, 1, 4, 2, 5, 3)
        .reshape(n, 2 * pooled_hw[0], 2 * pooled_hw[1], out_c)
    )
    dconv = (dr * (conv > 0)).reshape(n * ho * wo, out_c)
    dcw = (dconv.T @ cols).reshape(cw.shape)
    return loss, [dcw, dconv.sum(axis=0), dlw, dlb]


def chain_forward_backward(x, w, b, repeats):
    """Gradient wrt x of sum(f^repeats(x)) with f(x) = tanh(x * w + b) * 0.5 (4 ops each)."""
    outs = []
    h = x
    for _ in range(repeats):
        h = np.tanh(h * w + b)
        outs.append(h)
        h = h * 0.5
    total = h.sum()
    g = np.ones_like(x)
    for t in reversed(outs):
        g = g * 0.5
        g = g * (1.0 - t * t)
        g = g * w
    return total, g
