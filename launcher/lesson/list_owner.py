"""The list-owner design of this app (one owner, requests and replies, no lock), written in Python, for comparison.

Usage: python3 list_owner.py thread|asyncio OPS WINDOW   -> one JSON line: {"ops", "seconds", "ops_per_s", "mode"}

  thread:  an owner thread serves a queue.Queue of requests; each request carries its reply queue; one requester
           thread keeps WINDOW requests in flight (sends, then takes a reply before sending the next).
  asyncio: an owner task serves an asyncio.Queue; each request carries a future; one requester task keeps WINDOW
           requests in flight.
Both alternate adds (of the request's number) and removes of the head (a deque, like the Java owner's), as the
Java benchmark does, and time the same OPS requests after a warm-up of OPS // 2.
"""
import asyncio
import collections
import json
import queue
import sys
import threading
import time


def apply(items, op, value):
    if op == "add":
        items.append(value)
        return {"added": value, "size": len(items)}
    head = items.popleft() if items else None
    return {"removed": head, "size": len(items)}


def run_thread(ops, window):
    requests = queue.Queue()
    items = collections.deque()

    def owner():
        while True:
            req = requests.get()
            if req is None:
                return
            op, value, reply = req
            reply.put(apply(items, op, value))

    t = threading.Thread(target=owner, daemon=True)
    t.start()

    def drive(n):
        replies = queue.Queue()
        sent = answered = 0
        while sent < min(window, n):
            requests.put(("add" if sent % 2 == 0 else "remove", sent, replies))
            sent += 1
        while answered < n:
            replies.get()
            answered += 1
            if sent < n:
                requests.put(("add" if sent % 2 == 0 else "remove", sent, replies))
                sent += 1

    drive(ops // 2)
    start = time.perf_counter()
    drive(ops)
    seconds = time.perf_counter() - start
    requests.put(None)
    return seconds


def run_asyncio(ops, window):
    async def main():
        requests = asyncio.Queue()
        items = collections.deque()

        async def owner():
            while True:
                req = await requests.get()
                if req is None:
                    return
                op, value, future = req
                future.set_result(apply(items, op, value))

        task = asyncio.create_task(owner())
        loop = asyncio.get_running_loop()

        async def drive(n):
            sent = 0
            pending = collections.deque()
            while sent < n or pending:
                while sent < n and len(pending) < window:
                    f = loop.create_future()
                    await requests.put(("add" if sent % 2 == 0 else "remove", sent, f))
                    pending.append(f)
                    sent += 1
                await pending.popleft()

        await drive(ops // 2)
        start = time.perf_counter()
        await drive(ops)
        seconds = time.perf_counter() - start
        await requests.put(None)
        await task
        return seconds

    return asyncio.run(main())


if __name__ == "__main__":
    mode = sys.argv[1]
    ops = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
    window = int(sys.argv[3]) if len(sys.argv) > 3 else 256
    seconds = run_thread(ops, window) if mode == "thread" else run_asyncio(ops, window)
    print(json.dumps({"mode": mode, "ops": ops, "seconds": seconds, "ops_per_s": ops / seconds}))
