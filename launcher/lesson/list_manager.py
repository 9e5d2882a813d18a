"""The lesson's tool for a list shared between processes: multiprocessing.Manager().list(), timed.

Usage: python3 list_manager.py OPS [THREADS]   -> one JSON line: {"ops", "threads", "seconds", "ops_per_s"}

An adder process appends OPS // 2 numbers and a remover process pops OPS // 2 heads (pop(0): the head, as the
app's list does; retried while the list is empty, and only successful pops count), both through the manager's
proxy, whose every call is a round trip to the manager process (synchronous: the proxy has no other way).
With THREADS (default 1) each process splits its share among that many threads, each with its own connection to
the manager (the proxy opens one per thread): THREADS calls in flight per process, as the app's clients keep
requests in flight. Nothing is created on the clock: the manager, both processes, their threads and each thread's
connection are up before the clock starts, at a barrier (as the app's client processes and their connections).
"""
import json
import multiprocessing as mp
import sys
import threading
import time


def shares(n, threads):
    """n split into `threads` counts that add up to n."""
    return [n // threads + (1 if t < n % threads else 0) for t in range(threads)]


def in_threads(items, work, n, threads, ready):
    """Runs work(k) on `threads` threads, k their share of n, once every thread has its connection and all
    processes are at the barrier: no connection is opened on the clock."""
    connected = threading.Barrier(threads + 1)
    go = threading.Event()

    def run(k):
        len(items)  # this thread's first call opens its connection to the manager
        connected.wait()
        go.wait()
        work(k)

    workers = [threading.Thread(target=run, args=(k,)) for k in shares(n, threads)]
    for w in workers:
        w.start()
    connected.wait()
    ready.wait()
    go.set()
    for w in workers:
        w.join()


def adder(items, n, threads, ready):
    def add(k):
        for i in range(k):
            items.append(i)

    in_threads(items, add, n, threads, ready)


def remover(items, n, threads, ready):
    def remove(k):
        done = 0
        while done < k:
            try:
                items.pop(0)
                done += 1
            except IndexError:
                pass

    in_threads(items, remove, n, threads, ready)


if __name__ == "__main__":
    ops = int(sys.argv[1]) if len(sys.argv) > 1 else 40_000
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    with mp.Manager() as manager:
        items = manager.list()
        ready = mp.Barrier(3)
        procs = [mp.Process(target=adder, args=(items, ops // 2, threads, ready)),
                 mp.Process(target=remover, args=(items, ops // 2, threads, ready))]
        for p in procs:
            p.start()
        ready.wait()  # both processes are up: their start is not timed
        start = time.perf_counter()
        for p in procs:
            p.join()
        seconds = time.perf_counter() - start
    print(json.dumps({"ops": ops, "threads": threads, "seconds": seconds, "ops_per_s": ops / seconds}))
