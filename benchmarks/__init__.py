"""bridgetensor's performance suite: ``python -m benchmarks`` (see benchmarks/README.md).

Each measurement runs in a fresh subprocess (`_worker.py`) that times one workload for one
library; the driver (`run.py`) interleaves the libraries over rounds and reports medians and
the ratios bridgetensor / PyTorch and bridgetensor / NumPy.
"""
