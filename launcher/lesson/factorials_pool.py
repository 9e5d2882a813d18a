"""The lesson's Q7, timed: factorials of 1..10 on a ThreadPoolExecutor (as_completed), and factorial(N).

Usage: python3 factorials_pool.py N   -> one JSON line with the times and the results to compare:
  {"batch_ms", "batch": {n: value}, "value_ms", "str_ms", "digits", "sha256"}  (sha256 of the decimal string of N!)
"""
import concurrent.futures
import hashlib
import json
import math
import sys
import time


def main(n):
    if hasattr(sys, "set_int_max_str_digits"):
        sys.set_int_max_str_digits(0)  # Python 3.11 refuses str() of ints over 4300 digits otherwise
    start = time.perf_counter()
    batch = {}
    with concurrent.futures.ThreadPoolExecutor() as pool:
        futures = {pool.submit(math.factorial, i): i for i in range(1, 11)}
        for f in concurrent.futures.as_completed(futures):
            batch[futures[f]] = str(f.result())
    batch_ms = (time.perf_counter() - start) * 1000
    math.factorial(n)  # warm-up, as the Java side is measured warm
    t0 = time.perf_counter()
    value = math.factorial(n)
    t1 = time.perf_counter()
    digits = str(value)
    t2 = time.perf_counter()
    print(json.dumps({"batch_ms": batch_ms, "batch": batch, "value_ms": (t1 - t0) * 1000,
                      "str_ms": (t2 - t1) * 1000, "digits": len(digits),
                      "sha256": hashlib.sha256(digits.encode()).hexdigest()}))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
