"""What compare_io.py and compare_cpu.py share: how a way is timed, how CPU time is counted, and the pools.

Every way gets the same M tasks and is timed the way `lab compare` times the JVM's ways:
- warm ways (sequential, threads, asyncio, a pool kept open): one untimed warm-up run each, then RUNS timed runs,
  the ways taking turns; the pool or executor is created once, before the warm-up, and reused (warm against warm);
- pool_creation: no warm-up; each timed run creates Pool(N), maps, closes it and waits until its processes have
  exited (join), all inside the time (as `lab compare` launches and stops its node processes inside the time).
Pools hand out one task at a time (map with chunksize=1), as the JVM's coordinator hands one task to each node.

CPU time of a run: this process (time.process_time: every thread), plus for a pool its worker processes (read from
/proc before the pool is closed, as the JVM side reads its nodes'); None where /proc is not there.
A way that raises reports {"error": "<type>: <message>"} instead of figures; the other ways still run.
"""
import json
import multiprocessing
import os
import platform
import sys
import threading
import time
import traceback


def watch_parent():
    """Exit as soon as the process that started this script (lab compare) is gone: nothing it started outlives it
    (a Pool's workers then read the end of their queue and exit too)."""
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.25)
        os._exit(3)
    threading.Thread(target=watch, daemon=True).start()


def cpu_of(pids):
    """CPU seconds (user + system) the processes used so far, or None if /proc cannot say."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            with open("/proc/%d/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        except (OSError, IndexError, ValueError):
            return None
    return total


class Way:
    """One way's timed runs. run() -> (results, extra CPU seconds of its worker processes, or None if unknown)."""

    def __init__(self, run):
        self.run = run
        self.walls, self.cpus, self.results = [], [], []
        self.error = None

    def guarded(self, body):
        if self.error is None:
            try:
                body()
            except Exception as e:  # the row shows it; the other ways go on
                traceback.print_exc()
                self.error = "%s: %s" % (type(e).__name__, e)

    def warm_up(self):
        self.guarded(self.run)

    def once(self):
        def measure():
            c0 = time.process_time()
            t0 = time.perf_counter()
            values, extra = self.run()
            wall = time.perf_counter() - t0
            cpu = time.process_time() - c0
            self.walls.append(wall * 1000)
            self.cpus.append(None if extra is None else (cpu + extra) * 1000)
            self.results.append([str(v) for v in values])
        self.guarded(measure)

    def figures(self):
        if self.error is not None:
            return {"error": self.error}
        return {"wall_ms": self.walls, "cpu_ms": self.cpus, "results": self.results}


def in_turn(runs_by_way, runs):
    """A warm-up run of each way, then the timed runs in turn (run 1 of each, run 2 of each, ...): a change in the
    machine's load then weighs on every way alike, as `lab compare` does with the JVM's ways."""
    ways = {name: Way(run) for name, run in runs_by_way.items()}
    for way in ways.values():
        way.warm_up()
    for _ in range(runs):
        for way in ways.values():
            way.once()
    return {name: way.figures() for name, way in ways.items()}


def open_pool(processes):
    """(Pool(processes), None), or (None, the error) when it cannot be created."""
    try:
        return multiprocessing.Pool(processes), None
    except Exception as e:
        traceback.print_exc()
        return None, "%s: %s" % (type(e).__name__, e)


def warm_pool_run(pool, task, items):
    """A map on a pool kept open, with the CPU its workers used meanwhile."""
    def run():
        pids = [p.pid for p in pool._pool]
        before = cpu_of(pids)
        values = pool.map(task, items, chunksize=1)
        after = cpu_of(pids)
        return values, None if before is None or after is None else after - before
    return run


def close(pool):
    if pool is not None:
        pool.close()
        pool.join()


def pool_creation(task, items, processes, runs):
    """Each run: create the pool, map, close it, wait until its processes have exited. No warm-up."""
    def run():
        pool = multiprocessing.Pool(processes)
        try:
            values = pool.map(task, items, chunksize=1)
            workers = cpu_of([p.pid for p in pool._pool])
        finally:
            pool.close()
            pool.join()
        return values, workers
    way = Way(run)
    for _ in range(runs):
        way.once()
    return way.figures()


def report(ways):
    gil = getattr(sys, "_is_gil_enabled", None)
    print(json.dumps({"python": "%s %s" % (platform.python_implementation(), platform.python_version()),
                      "gil": True if gil is None else gil(), "ways": ways}))
