"""The lesson's Q8, timed: multiprocessing.Pool(N).map(square, 1..TO) for each N, pool creation included,
then warm maps on a pool kept open.

Usage: python3 squares_pool.py TO N [N ...]  -> one JSON line:
  {"sizes": {N: {"total_ms", "warm_ms"}}, "count", "sha256"}  (sha256 of the squares as 8-byte big-endian)
"""
import hashlib
import json
import multiprocessing
import statistics
import struct
import sys
import time


def square(x):
    return x * x


def digest(values):
    sha = hashlib.sha256()
    for i in range(0, len(values), 4096):
        part = values[i:i + 4096]
        sha.update(struct.pack(">%dq" % len(part), *part))
    return sha.hexdigest()


def main(to, sizes):
    numbers = range(1, to + 1)
    out = {"sizes": {}}
    result = None
    for n in sizes:
        start = time.perf_counter()
        with multiprocessing.Pool(n) as pool:
            result = pool.map(square, numbers)
            total_ms = (time.perf_counter() - start) * 1000
            warm = []
            for _ in range(5):
                t = time.perf_counter()
                pool.map(square, numbers)
                warm.append((time.perf_counter() - t) * 1000)
        out["sizes"][n] = {"total_ms": total_ms, "warm_ms": statistics.median(warm)}
    out["count"] = len(result)
    out["sha256"] = digest(result)
    print(json.dumps(out))


if __name__ == "__main__":
    main(int(sys.argv[1]), [int(a) for a in sys.argv[2:]] or [2, 4, 8])
