"""The lesson's Q8, timed: multiprocessing.Pool(N).map(square, 1..TO) for each N, pool creation and teardown
included, then warm maps on a pool kept open.

Usage: python3 squares_pool.py TO N [N ...] [--chunksize K] [--warm R] [--warmup W] [--cold C]  -> one JSON line:
  {"sizes": {N: {"total_ms", "warm_ms"}}, "chunksize", "count", "sha256"}
  total_ms: median of C pools (default 3), each created, mapped once and closed, its workers joined (what the
            lesson's "Time taken" holds, teardown included);
  warm_ms:  median of R maps (default 5) on a pool kept open, after W maps to warm up (default R; the JVM side
            of a comparison may need more to settle its JIT, and then gives both sides the same W);
  chunksize: K, or Pool.map's own choice when not given (about four chunks per worker);
  sha256 of the squares as 8-byte big-endian, to check them against the other side's.
"""
import argparse
import hashlib
import json
import multiprocessing
import statistics
import struct
import time


def square(x):
    return x * x


def digest(values):
    sha = hashlib.sha256()
    for i in range(0, len(values), 4096):
        part = values[i:i + 4096]
        sha.update(struct.pack(">%dq" % len(part), *part))
    return sha.hexdigest()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("to", type=int)
    parser.add_argument("sizes", type=int, nargs="*", default=[2, 4, 8])
    parser.add_argument("--chunksize", type=int, default=None)
    parser.add_argument("--warm", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=None)
    parser.add_argument("--cold", type=int, default=3)
    args = parser.parse_args()
    numbers = range(1, args.to + 1)
    out = {"sizes": {}, "chunksize": args.chunksize}
    result = None
    for n in args.sizes or [2, 4, 8]:
        totals = []
        for _ in range(args.cold):
            start = time.perf_counter()
            with multiprocessing.Pool(n) as pool:  # leaving the block terminates the workers and joins them
                result = pool.map(square, numbers, args.chunksize)
            totals.append((time.perf_counter() - start) * 1000)
        with multiprocessing.Pool(n) as pool:
            for _ in range(args.warm if args.warmup is None else args.warmup):
                pool.map(square, numbers, args.chunksize)
            warm = []
            for _ in range(args.warm):
                t = time.perf_counter()
                pool.map(square, numbers, args.chunksize)
                warm.append((time.perf_counter() - t) * 1000)
        out["sizes"][n] = {"total_ms": statistics.median(totals), "warm_ms": statistics.median(warm)}
    out["count"] = len(result)
    out["sha256"] = digest(result)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
