"""The torch face: torch's names, argument conventions and Tensor methods.

Each module holds one op family's torch-style functions and the `...Methods` mixin
that gives Tensor the same operations as methods (one line each). The translation
from torch's arguments (`dim=`, `keepdim=`) to the standard's (`axis=`, `keepdims=`)
happens here and nowhere else.
"""
