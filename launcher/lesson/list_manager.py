"""The lesson's tool for a list shared between processes: multiprocessing.Manager().list(), timed.

Usage: python3 list_manager.py OPS   -> one JSON line: {"ops", "seconds", "ops_per_s"}

An adder process appends OPS // 2 numbers and a remover process pops OPS // 2 heads (pop(0): the head, as the
app's list does; retried while the list is empty, and only successful pops count), both through the manager's
proxy, whose every call is a round trip to the manager process (synchronous: the proxy has no other way).
The manager's start is not timed; both processes are started before the clock starts and wait at a barrier.
"""
import json
import multiprocessing as mp
import sys
import time


def adder(items, n, ready):
    ready.wait()
    for i in range(n):
        items.append(i)


def remover(items, n, ready):
    ready.wait()
    done = 0
    while done < n:
        try:
            items.pop(0)
            done += 1
        except IndexError:
            pass


if __name__ == "__main__":
    ops = int(sys.argv[1]) if len(sys.argv) > 1 else 40_000
    with mp.Manager() as manager:
        items = manager.list()
        ready = mp.Barrier(3)
        procs = [mp.Process(target=adder, args=(items, ops // 2, ready)),
                 mp.Process(target=remover, args=(items, ops // 2, ready))]
        for p in procs:
            p.start()
        ready.wait()  # both processes are up: their start is not timed
        start = time.perf_counter()
        for p in procs:
            p.join()
        seconds = time.perf_counter() - start
    print(json.dumps({"ops": ops, "seconds": seconds, "ops_per_s": ops / seconds}))
