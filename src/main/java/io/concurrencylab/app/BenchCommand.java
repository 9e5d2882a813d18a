package io.concurrencylab.app;

import io.concurrencylab.bench.Benchmarks;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "bench", description = "Benchmarks, each beside its baseline measured in the same run: "
    + "list (list-owner throughput), factorial (factorial(100000)), squares (cluster formation, warm compute, "
    + "loss detection), cli (eb start-to-reply), compare (lab compare's table), all (and writes a report).")
final class BenchCommand implements Callable<Integer> {
  @picocli.CommandLine.Mixin
  ConfigOptions options;

  @Parameters(paramLabel = "WHICH", arity = "0..1", defaultValue = "all", description = "list, factorial, squares, cli, compare or all (default).")
  String which;

  @Override
  public Integer call() throws Exception {
    return Benchmarks.run(which, System.out, options.load());
  }
}
