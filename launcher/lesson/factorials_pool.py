"""The lesson's Q7, timed: factorials of 1..10 on a ThreadPoolExecutor (as_completed), and factorial(N).

Usage: python3 factorials_pool.py N [WORKERS] [BATCHES]  -> one JSON line:
  {"workers", "warm_batch_ms", "cold_batch_ms", "batch": {n: value}, "value_ms", "str_ms", "digits", "sha256"}
  warm_batch_ms: median of BATCHES batches (submit 1..10, wait for the last result) on one pool of WORKERS threads
                 kept open, after as many batches to warm up;
  cold_batch_ms: median of 5 batches, each on a new pool created and shut down inside the timing;
  value_ms, str_ms: math.factorial(N) and str() of it, median of 5 after one warm-up;
  sha256 of the decimal digits of N!, to check them against the other side's.
"""
import concurrent.futures
import hashlib
import json
import math
import statistics
import sys
import time


def batch(pool):
    """1..10 submitted at once, each result taken as it completes (as_completed), as a decimal string."""
    futures = {pool.submit(math.factorial, i): i for i in range(1, 11)}
    return {futures[f]: str(f.result()) for f in concurrent.futures.as_completed(futures)}


def timed(action):
    start = time.perf_counter()
    result = action()
    return (time.perf_counter() - start) * 1000, result


def main(n, workers, batches):
    if hasattr(sys, "set_int_max_str_digits"):
        sys.set_int_max_str_digits(0)  # Python 3.11 refuses str() of ints over 4300 digits otherwise
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        for _ in range(batches):
            batch(pool)  # warm-up: threads started, code paths hot, as the Java side is measured warm
        warm = [timed(lambda: batch(pool))[0] for _ in range(batches)]
        results = batch(pool)

    def cold():
        with concurrent.futures.ThreadPoolExecutor(workers) as fresh:
            return batch(fresh)
    cold_ms = [timed(cold)[0] for _ in range(5)]

    math.factorial(n)  # warm-up
    value_ms, digits_ms = [], []
    for _ in range(5):
        ms, value = timed(lambda: math.factorial(n))
        value_ms.append(ms)
        ms, digits = timed(lambda: str(value))
        digits_ms.append(ms)
    print(json.dumps({"workers": workers, "warm_batch_ms": statistics.median(warm),
                      "cold_batch_ms": statistics.median(cold_ms), "batch": results,
                      "value_ms": statistics.median(value_ms), "str_ms": statistics.median(digits_ms),
                      "digits": len(digits), "sha256": hashlib.sha256(digits.encode()).hexdigest()}))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000, int(sys.argv[2]) if len(sys.argv) > 2 else 2,
         int(sys.argv[3]) if len(sys.argv) > 3 else 101)
