package io.concurrencylab.app;

import io.concurrencylab.bus.ExitCodes;
import io.concurrencylab.config.LabConfig;
import io.concurrencylab.factorial.FactorialProgram;
import io.concurrencylab.factorial.FactorialWorkerVerticle;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "factorials", description = "Q7: factorials on worker verticles, all submitted at once, printed as "
    + "they complete. Default n = 1..10; any 0 <= n <= factorial.maxN.")
final class FactorialsCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions options;

  @Parameters(paramLabel = "N", arity = "0..*", description = "The n to compute (default: 1 to 10).")
  List<String> ns;

  @Option(names = "--full", description = "Print every digit of long results (default: head...tail and the count).")
  boolean full;

  @Option(names = "--threads", description = "Also print the worker thread and the compute time of each result.")
  boolean threads;

  @Override
  public Integer call() throws Exception {
    LabConfig config = options.load();
    Vertx vertx = Vertx.vertx();
    int failed = Lifecycle.stopAndClose(vertx, () ->
        FactorialWorkerVerticle.deploy(vertx, config.factorialInstances(), config.factorialMaxN())
            .compose(id -> FactorialProgram.run(vertx, ns == null || ns.isEmpty() ? FactorialProgram.defaultInput() : ns,
                config.requestTimeoutMs(), full, threads, System.out::println, System.err::println)));
    return failed == 0 ? ExitCodes.OK : ExitCodes.FAILURE_REPLY;
  }
}
