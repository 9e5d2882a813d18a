"""Q6 in the lesson's terms: Pool(2).map(square, 1..100, chunksize=10) where the task for 57 raises.

Usage: python3 squares_fail.py   -> the traceback Python prints: the caller's, then the worker's as its cause
(multiprocessing's RemoteTraceback). `launcher/lab squares --sizes 2 --to 100 --chunk 10 --fail-at 57` is the
same run in this project.
"""
import multiprocessing


def square(x):
    if x == 57:
        raise ValueError(f"square({x}) failed on purpose")
    return x * x


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        print(pool.map(square, range(1, 101), chunksize=10))
