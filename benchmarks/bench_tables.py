"""Reading a large .csv as an input: numpy's C reader (the fast path of core/tables.py) against the cell-by-cell
reader it falls back to, on the same file in the same run (Kaggle's MNIST train.csv shape: a label and 784
pixels, 42,000 rows, 118 MB; integers, then the same as floats)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np


def _time(read) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    read()
    return time.perf_counter() - t0


def main() -> None:
    import onnxstudio.core.tables as tables
    from onnxstudio.core.values import ValueSpec

    rng = np.random.default_rng(0)
    folder = Path(tempfile.mkdtemp(prefix="onnxstudio-tables-"))
    header = ",".join(["label", *(f"pixel{i}" for i in range(784))])
    spec = ValueSpec("image", "tensor", "float32", ("N", 1, 28, 28), "tensor(float)")
    print(f"{'table':<28}{'MB':>7}{'fast s':>9}{'cell s':>9}{'ratio':>8}")
    for kind, values, fmt in (("integers", rng.integers(0, 256, (42000, 785)), "%d"),
                              ("floats", rng.random((42000, 785)), "%.6g")):
        path = folder / f"{kind}.csv"
        np.savetxt(path, values, delimiter=",", fmt=fmt, header=header, comments="")
        fast = _time(lambda p=path: tables.table_value(spec, p))
        saved, tables._SNIFF_BYTES = tables._SNIFF_BYTES, 1 << 40  # every file "small": read cell by cell
        try:
            slow = _time(lambda p=path: tables.table_value(spec, p))
        finally:
            tables._SNIFF_BYTES = saved
        print(f"{'42,000 x 785 ' + kind:<28}{path.stat().st_size / 1e6:>7.0f}{fast:>9.2f}{slow:>9.2f}"
              f"{slow / fast:>8.1f}")
        path.unlink()


if __name__ == "__main__":
    main()
