package io.concurrencylab.compare;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/** CPU time used so far (ns): by this process, or by another one (a node), as the OS counts it. */
final class CpuTime {
  private CpuTime() {}

  /** This JVM, every thread (GC and JIT included), or -1 where the platform does not say. */
  static long process() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /** Another process (from /proc on Linux), or -1 when it is gone or the platform does not say. */
  static long of(long pid) {
    return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(Duration::toNanos).orElse(-1L);
  }
}
