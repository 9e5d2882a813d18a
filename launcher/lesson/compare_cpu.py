"""The lesson's Q1 and Q3, CPU-bound: M tasks, each counting the primes in a range of WIDTH numbers by trial
division (task i: [FIRST + i*WIDTH, FIRST + (i+1)*WIDTH)), run several ways. The same function as `lab compare`'s
JVM ways compute (there on wider ranges: a task takes tens of ms in each runtime); how each way is timed:
compare_ways.py.

Usage: python3 compare_cpu.py FIRST WIDTH TASKS THREADS PROCESSES RUNS  (PROCESSES 0: no pools) -> one JSON line:
  {"python", "gil", "ways": {"sequential"|"threads"|"pool_warm"|"pool_creation":
                             {"wall_ms": [...], "cpu_ms": [...], "results": [[...] per run]} or {"error": "..."}}}
"""
import concurrent.futures
import functools
import sys

import compare_ways


def is_prime(n):
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    d = 3
    while d * d <= n:
        if n % d == 0:
            return False
        d += 2
    return True


def count_primes(first, width, i):
    start = first + i * width
    return sum(1 for n in range(start, start + width) if is_prime(n))


def main(first, width, tasks, threads, processes, runs):
    compare_ways.watch_parent()
    items = list(range(tasks))
    task = functools.partial(count_primes, first, width)
    pool, pool_error = compare_ways.open_pool(processes) if processes > 0 else (None, None)  # 0: no process ways
    try:
        with concurrent.futures.ThreadPoolExecutor(threads) as executor:
            runs_by_way = {
                "sequential": lambda: ([task(i) for i in items], 0.0),
                "threads": lambda: (list(executor.map(task, items)), 0.0),
            }
            if pool is not None:
                runs_by_way["pool_warm"] = compare_ways.warm_pool_run(pool, task, items)
            ways = compare_ways.in_turn(runs_by_way, runs)
    finally:
        compare_ways.close(pool)
    if processes > 0:
        if pool_error is not None:
            ways["pool_warm"] = {"error": pool_error}
        ways["pool_creation"] = compare_ways.pool_creation(task, items, processes, runs)
    compare_ways.report(ways)


if __name__ == "__main__":
    if len(sys.argv) != 7:
        sys.exit("usage: compare_cpu.py FIRST WIDTH TASKS THREADS PROCESSES RUNS")
    main(*[int(a) for a in sys.argv[1:]])
