"""The lesson's Q4, timed: one thread appends, another pops, a threading.Lock guards the list.

Usage: python3 list_lock.py OPS   -> one JSON line: {"ops": OPS, "seconds": s, "ops_per_s": r}
Half appends, half pops (when not empty), from two threads. pop() takes the last item, as in the lesson: pop(0)
would make it quadratic once the adder runs ahead (the list owner removes the head, but from a deque).
"""
import json
import random
import sys
import threading
import time


def main(ops):
    items, lock = [], threading.Lock()
    half = ops // 2

    def adder():
        for _ in range(half):
            with lock:
                items.append(random.randint(1, 100))

    def remover():
        for _ in range(half):
            with lock:
                if items:
                    items.pop()

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
