"""The lesson's Q1, I/O-bound: M tasks, each a GET of /task/<i> over a new TCP connection to a server that answers
after a delay (the wait is in the server, not a sleep here), run several ways. The same bytes as `lab compare`'s
JVM ways send; how each way is timed: compare_ways.py.

Usage: python3 compare_io.py HOST PORT TASKS THREADS PROCESSES RUNS  (PROCESSES 0: no pools) -> one JSON line:
  {"python", "gil", "ways": {"sequential"|"threads"|"asyncio"|"pool_warm"|"pool_creation":
                             {"wall_ms": [...], "cpu_ms": [...], "results": [[...] per run]} or {"error": "..."}}}
"""
import asyncio
import concurrent.futures
import functools
import socket
import sys

import compare_ways


def request(i):
    return ("GET /task/%d HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" % i).encode("ascii")


def body(reply):
    head, sep, rest = reply.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200") or not sep:
        raise IOError("unexpected reply: %r" % head.split(b"\r\n", 1)[0])
    return rest.decode("latin-1")


def fetch(host, port, i):
    """Blocking: a plain socket, the request, everything until the server closes."""
    with socket.create_connection((host, port), timeout=30) as s:
        s.sendall(request(i))
        chunks = []
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            chunks.append(chunk)
    return body(b"".join(chunks))


async def fetch_async(host, port, i):
    """The same, without blocking: the event loop serves the other tasks while this one waits."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(request(i))
        await writer.drain()
        return body(await reader.read())
    finally:
        writer.close()
        await writer.wait_closed()


def main(host, port, tasks, threads, processes, runs):
    compare_ways.watch_parent()
    items = list(range(tasks))
    task = functools.partial(fetch, host, port)

    async def all_at_once():
        return await asyncio.gather(*(fetch_async(host, port, i) for i in items))

    loop = asyncio.new_event_loop()
    pool, pool_error = compare_ways.open_pool(processes) if processes > 0 else (None, None)  # 0: no process ways
    try:
        with concurrent.futures.ThreadPoolExecutor(threads) as executor:
            runs_by_way = {
                "sequential": lambda: ([task(i) for i in items], 0.0),
                "threads": lambda: (list(executor.map(task, items)), 0.0),
                "asyncio": lambda: (loop.run_until_complete(all_at_once()), 0.0),
            }
            if pool is not None:
                runs_by_way["pool_warm"] = compare_ways.warm_pool_run(pool, task, items)
            ways = compare_ways.in_turn(runs_by_way, runs)
    finally:
        compare_ways.close(pool)
        loop.close()
    if processes > 0:
        if pool_error is not None:
            ways["pool_warm"] = {"error": pool_error}
        ways["pool_creation"] = compare_ways.pool_creation(task, items, processes, runs)
    compare_ways.report(ways)


if __name__ == "__main__":
    if len(sys.argv) != 7:
        sys.exit("usage: compare_io.py HOST PORT TASKS THREADS PROCESSES RUNS")
    main(sys.argv[1], *[int(a) for a in sys.argv[2:]])
