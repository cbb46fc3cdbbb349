"""einsum as a composite of diagonal, sum, permute, reshape and matmul.

Being a composite it needs no rule: gradients of every order come from its parts.
Operands are contracted left to right, each pair as one batched matmul; a label that
no later operand and not the output needs is summed away as early as possible.
"""

from __future__ import annotations

import math

from .linalg import linalg_diagonal, matmul
from .manipulation import permute_dims, reshape
from .reduction import sum as _sum

__all__ = ["einsum"]


def _error(message: str) -> RuntimeError:
    return RuntimeError(f"einsum(): {message}")


def einsum(equation: str, /, *operands):
    """Einstein summation, as torch.einsum: "ij,jk->ik", "...ij->...ji", implicit output.

    A label of size 1 broadcasts against the same label elsewhere; "..." stands for the
    broadcast leading axes.
    """
    inputs, output = _parse(equation, operands)
    _label_sizes(inputs, operands)
    terms = [_take_diagonals(x, labels) for labels, x in zip(inputs, operands)]
    current, labels = None, None
    for index, (x, xl) in enumerate(terms):
        later = set(output)
        for _, other in terms[index + 1 :]:
            later |= set(other)
        if current is None:
            current, labels = _sum_unused(x, xl, later)
            continue
        current, labels = _contract(current, labels, x, xl, later)
    current, labels = _sum_unused(current, labels, set(output))
    if labels != output:
        current = permute_dims(current, axes=tuple(labels.index(label) for label in output))
    return current


def _parse(equation: str, operands) -> tuple[list, list]:
    """Per operand its labels (letters, and ints for the axes "..." stands for); the output's."""
    equation = equation.replace(" ", "")
    lhs, arrow, rhs = equation.partition("->")
    terms = lhs.split(",")
    if len(terms) > len(operands):
        raise _error("fewer operands were provided than specified in the equation")
    if len(terms) < len(operands):
        raise _error("more operands were provided than specified in the equation")
    position = 0
    for term_index, term in enumerate(terms):
        for ch in term.replace("...", ""):
            if ch == ".":
                raise _error(f"found '.' for operand {term_index} that is not part of any ellipsis")
            if not ch.isascii() or not ch.isalpha():
                at = position + term.index(ch)
                raise _error(
                    f"invalid subscript given at index {at} in the equation string, "
                    "subscripts must be in [a-zA-Z]"
                )
        position += len(term) + 1
    spans = []
    for i, (term, x) in enumerate(zip(terms, operands)):
        letters = len(term.replace("...", ""))
        if "..." in term:
            if letters > x.ndim:
                raise _error(
                    f"the number of subscripts in the equation ({letters}) is more than the "
                    f"number of dimensions ({x.ndim}) for operand {i}"
                )
            spans.append(x.ndim - letters)
        else:
            if letters != x.ndim:
                raise _error(
                    f"the number of subscripts in the equation ({letters}) does not match the "
                    f"number of dimensions ({x.ndim}) for operand {i} and no ellipsis was given"
                )
            spans.append(0)
    width = max(spans, default=0)
    inputs = []
    for term, span in zip(terms, spans):
        before, _, after = term.partition("...")
        inputs.append(list(before) + list(range(width - span, width)) + list(after))
    if arrow:
        if rhs.replace("...", "").count(".") or not all(
            ch.isascii() and ch.isalpha() for ch in rhs.replace("...", "")
        ):
            raise _error("invalid subscript given in the output of the equation string")
        before, dots, after = rhs.partition("...")
        output = list(before) + (list(range(width)) if dots else []) + list(after)
        seen = set()
        for label in output:
            if label in seen:
                raise _error(f"output subscript {label} appears more than once in the output")
            seen.add(label)
            if isinstance(label, str) and not any(label in labels for labels in inputs):
                raise _error(
                    f"output subscript {label} does not appear in the equation for any input "
                    "operand"
                )
    else:
        counts = {}
        for labels in inputs:
            for label in labels:
                if isinstance(label, str):
                    counts[label] = counts.get(label, 0) + 1
        output = list(range(width)) + sorted(label for label, c in counts.items() if c == 1)
    return inputs, output


def _label_sizes(inputs, operands) -> dict:
    """Each label's size, checking that repeats agree and that sizes broadcast."""
    sizes = {}
    for i, (labels, x) in enumerate(zip(inputs, operands)):
        mine = {}
        for label, n in zip(labels, x.shape):
            if label in mine and mine[label] != n:
                raise _error(
                    f"subscript {label} is repeated for operand {i} but the sizes don't match, "
                    f"{n} != {mine[label]}"
                )
            mine[label] = n
        for label, n in mine.items():
            seen = sizes.get(label, 1)
            if n != seen and n != 1 and seen != 1:
                shown = "..." if isinstance(label, int) else label
                raise _error(
                    f"subscript {shown} has size {n} for operand {i} which does not broadcast "
                    f"with previously seen size {seen}"
                )
            sizes[label] = max(seen, n) if n != 1 else seen
    return sizes


def _take_diagonals(x, labels: list):
    """Replace each label repeated within one operand by its diagonal (moved last)."""
    labels = list(labels)
    while True:
        repeated = next((lab for lab in labels if labels.count(lab) > 1), None)
        if repeated is None:
            return x, labels
        p = labels.index(repeated)
        q = labels.index(repeated, p + 1)
        x = linalg_diagonal(x, axis1=p, axis2=q)
        labels = [lab for k, lab in enumerate(labels) if k not in (p, q)] + [repeated]


def _sum_unused(x, labels: list, keep: set):
    axes = tuple(i for i, label in enumerate(labels) if label not in keep)
    if not axes:
        return x, labels
    return _sum(x, axis=axes), [label for label in labels if label in keep]


def _contract(a, la: list, b, lb: list, later: set):
    """a and b as one batched matmul over the labels they share and nothing later needs."""
    a, la = _sum_unused(a, la, later | set(lb))
    b, lb = _sum_unused(b, lb, later | set(la))
    shared = [label for label in la if label in lb]
    batch = [label for label in shared if label in later]
    contracted = [label for label in shared if label not in later]
    # NOTE: as torch, a label of size 1 broadcasts: contracting it against size n is
    # contracting against the sum over those n.
    for label in contracted:
        i, j = la.index(label), lb.index(label)
        if a.shape[i] == 1 and b.shape[j] != 1:
            b = _sum(b, axis=j, keepdims=True)
        elif b.shape[j] == 1 and a.shape[i] != 1:
            a = _sum(a, axis=i, keepdims=True)
    a_only = [label for label in la if label not in lb]
    b_only = [label for label in lb if label not in la]
    a = _arranged(a, la, batch + a_only + contracted)
    b = _arranged(b, lb, batch + contracted + b_only)
    nb = len(batch)
    a_sizes = [a.shape[nb + i] for i in range(len(a_only))]
    b_sizes = [b.shape[nb + len(contracted) + i] for i in range(len(b_only))]
    k = math.prod(a.shape[nb + len(a_only) :])
    a = reshape(a, shape=(*a.shape[:nb], math.prod(a_sizes), k))
    b = reshape(b, shape=(*b.shape[:nb], k, math.prod(b_sizes)))
    product = matmul(a, b)
    out = reshape(product, shape=(*product.shape[:nb], *a_sizes, *b_sizes))
    return out, batch + a_only + b_only


def _arranged(x, labels: list, order: list):
    axes = tuple(labels.index(label) for label in order)
    return x if axes == tuple(range(x.ndim)) else permute_dims(x, axes=axes)
