"""The lesson's Q4, timed: one thread appends, another removes, a threading.Lock guards the shared sequence.

Usage: python3 list_lock.py OPS   -> one JSON line: {"ops": OPS, "seconds": s, "ops_per_s": r}
Half adds, half removes (a remove that finds it empty counts too), from two threads. The same operations as the
Java side of `lab bench list` (the list owner and the synchronized ArrayList): the values added are a counter (the
operation's number, no random number generated per add), and a remove takes the head (FIFO, as the list owner
does). A collections.deque, not a list, for the head: list.pop(0) moves every other item, which turns quadratic
once the adder runs ahead of the remover; the list owner holds its items in an ArrayDeque for the same reason.
"""
import collections
import json
import sys
import threading
import time


def main(ops):
    items, lock = collections.deque(), threading.Lock()
    half = ops // 2

    def adder():
        for i in range(half):
            with lock:
                items.append(i)

    def remover():
        for _ in range(half):
            with lock:
                if items:
                    items.popleft()

    threads = [threading.Thread(target=adder), threading.Thread(target=remover)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    print(json.dumps({"ops": ops, "seconds": seconds, "ops_per_s": ops / seconds}))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
