package io.concurrencylab.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/** Runs small python3 snippets for the lesson's own baselines; empty when python3 is not installed. */
final class Python {
  private Python() {}

  static OptionalDouble poolCreation(int size) {
    return run("import multiprocessing as mp, time\n"
        + "if __name__ == '__main__':\n"
        + "    t = time.perf_counter(); p = mp.Pool(" + size + "); p.close(); p.join()\n"
        + "    print((time.perf_counter() - t) * 1000)\n");
  }

  static OptionalDouble warmPoolMap(int size, long to) {
    return run("import multiprocessing as mp, time, statistics\n"
        + "def square(x):\n    return x * x\n"
        + "if __name__ == '__main__':\n"
        + "    with mp.Pool(" + size + ") as p:\n"
        + "        for _ in range(3): p.map(square, range(1, " + (to + 1) + "))\n"
        + "        ts = []\n"
        + "        for _ in range(5):\n"
        + "            t = time.perf_counter(); r = p.map(square, range(1, " + (to + 1) + ")); ts.append(time.perf_counter() - t)\n"
        + "        assert r[-1] == " + to + " * " + to + "\n"
        + "        print(statistics.median(ts) * 1000)\n");
  }

  static OptionalDouble run(String script) {
    try {
      Process p = new ProcessBuilder("python3", "-c", script).redirectErrorStream(true).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return OptionalDouble.empty();
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.exitValue() == 0 ? OptionalDouble.of(Double.parseDouble(out.lines().reduce((a, b) -> b).orElse(""))) 
          : OptionalDouble.empty();
    } catch (IOException | InterruptedException | NumberFormatException e) {
      return OptionalDouble.empty();
    }
  }
}
