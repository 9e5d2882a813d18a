package io.concurrencylab.app;

import io.concurrencylab.bus.ExitCodes;
import io.concurrencylab.cli.CommandArgs;
import io.concurrencylab.cli.EbClient;
import io.concurrencylab.cli.EbFailure;
import io.concurrencylab.cli.JsonText;
import io.concurrencylab.config.LabConfig;
import io.vertx.core.json.JsonObject;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lab eb}: event-bus messages from a shell, through the TCP bridge of a running {@code lab serve}. The work
 * is in {@code io.concurrencylab.cli}; this is the command line. No Vert.x instance: it starts in a fraction of a
 * second and does not join anything.
 */
@Command(name = "eb", mixinStandardHelpOptions = true, version = Main.VERSION, description = "Event-bus messages from a shell, through the bridge of a running "
    + "launcher/lab serve. Only the public contract is reachable (see docs/eb.md).",
    subcommands = {EbCommand.Request.class, EbCommand.Send.class, EbCommand.Publish.class, EbCommand.Tail.class},
    footer = {"", ExitCodes.TABLE})
final class EbCommand implements Runnable {
  static final String BODY_HELP = "JSON ({\"value\": 42}, 42, \"text\"), a bare word (sent as a string), "
      + "@FILE, or - for stdin. None when left out.";
  /**
   * The CLI logs nothing, but the first Vert.x JSON call creates a logger, and through SLF4J that starts logback:
   * ~250 ms of XML configuration. JUL costs next to nothing, and stays silent.
   */
  private static final String VERTX_LOGGER = "vertx.logger-delegate-factory-class-name";

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand: request, send, publish or tail");
  }

  /** Where the bridge is, and how a subcommand's failure becomes one line on stderr and an exit code. */
  static final class Connection {
    @Mixin
    ConfigOptions options;

    @Option(names = "--host", paramLabel = "HOST", description = "The bridge's host (default: bridge.host).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "The bridge's port (default: bridge.port).")
    Integer port;

    @Option(names = "--trace", description = "When the work itself failed (a bug, not bad input), print where: its "
        + "exception, thread, process and stack, as the process that ran it saw them (Python's RemoteTraceback).")
    boolean trace;

    private LabConfig config;

    LabConfig config() {
      if (config == null) {
        config = options.load();
      }
      return config;
    }

    EbClient connect() throws EbFailure {
      String h = host != null ? host : config().bridgeHost();
      int p = port != null ? port : config().bridgePort();
      if (p < 1 || p > 65_535) {
        throw EbFailure.usage(port != null ? "--port must be 1..65535, got " + p : "bridge.port is " + p
            + " in the configuration (serve picks any free port); pass --port with the one serve printed");
      }
      String token = io.concurrencylab.config.AccessToken.read(config(), System.getenv()).orElse(null);
      return EbClient.connect(h, p, token, config().bridgeMaxFrameBytes());
    }

    int run(Action action) {
      if (System.getProperty(VERTX_LOGGER) == null) {
        System.setProperty(VERTX_LOGGER, "io.vertx.core.logging.JULLogDelegateFactory");
      }
      try {
        return action.run();
      } catch (EbFailure failure) {
        System.err.println("lab eb: " + failure.getMessage());
        if (trace && failure.remote() != null) {
          System.err.println(CommandArgs.remoteTrace(failure.remote()));
        }
        if (options.verbose) {
          failure.printStackTrace();
        }
        return failure.exitCode();
      }
    }
  }

  interface Action {
    int run() throws EbFailure;
  }

  @Command(name = "request", description = "Send BODY to ADDRESS and print the reply (pretty JSON; --json: one line).")
  static final class Request implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Parameters(index = "0", paramLabel = "ADDRESS", description = "e.g. lab.list.snapshot")
    String address;

    @Parameters(index = "1", arity = "0..1", paramLabel = "BODY", description = BODY_HELP)
    String body;

    @Option(names = "--header", paramLabel = "K=V", description = "A message header (repeatable).")
    List<String> headers = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "MS", description = "Wait this long for the reply "
        + "(default: requestTimeoutMs).")
    Long timeoutMs;

    @Option(names = "--json", description = "Print the reply on one line.")
    boolean json;

    @Override
    public Integer call() {
      return connection.run(() -> {
        Object payload = CommandArgs.body(body, System.in, connection.config().bridgeMaxFrameBytes());
        JsonObject frameHeaders = CommandArgs.headers(headers);
        long timeout = timeoutMs != null ? timeoutMs : connection.config().requestTimeoutMs();
        if (timeout < 1) {
          throw EbFailure.usage("--timeout must be at least 1 ms, got " + timeout);
        }
        try (EbClient client = connection.connect()) {
          System.out.println(JsonText.of(client.request(address, payload, frameHeaders, timeout), json));
        }
        return ExitCodes.OK;
      });
    }
  }

  /** send and publish: fire and forget, done once the bridge has accepted the message. */
  abstract static class Post implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Parameters(index = "0", paramLabel = "ADDRESS")
    String address;

    @Parameters(index = "1", arity = "0..1", paramLabel = "BODY", description = BODY_HELP)
    String body;

    @Option(names = "--header", paramLabel = "K=V", description = "A message header (repeatable).")
    List<String> headers = new ArrayList<>();

    abstract void post(EbClient client, Object payload, JsonObject headers) throws EbFailure;

    @Override
    public Integer call() {
      return connection.run(() -> {
        Object payload = CommandArgs.body(body, System.in, connection.config().bridgeMaxFrameBytes());
        JsonObject frameHeaders = CommandArgs.headers(headers);
        try (EbClient client = connection.connect()) {
          post(client, payload, frameHeaders);
        }
        return ExitCodes.OK;
      });
    }
  }

  @Command(name = "send", description = "Send BODY to one consumer of ADDRESS, no reply; exits 0 once the bridge "
      + "accepted it.")
  static final class Send extends Post {
    @Override
    void post(EbClient client, Object payload, JsonObject headers) throws EbFailure {
      client.send(address, payload, headers);
    }
  }

  @Command(name = "publish", description = "Publish BODY to every consumer of ADDRESS; exits 0 once the bridge "
      + "accepted it.")
  static final class Publish extends Post {
    @Override
    void post(EbClient client, Object payload, JsonObject headers) throws EbFailure {
      client.publish(address, payload, headers);
    }
  }

  @Command(name = "tail", description = "Print each message published to the ADDRESSes as it arrives, until --count, "
      + "--seconds or Ctrl-C. Event addresses only: a tail on a request address would steal requests.")
  static final class Tail implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Parameters(arity = "1..*", paramLabel = "ADDRESS", description = "e.g. lab.list.changed")
    List<String> addresses;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N messages.")
    Integer count;

    @Option(names = "--seconds", paramLabel = "S", description = "Stop after S seconds.")
    Long seconds;

    @Option(names = "--json", description = "One JSON object per message: {\"address\", \"body\"} (and \"headers\" when it has any).")
    boolean json;

    @Override
    public Integer call() {
      return connection.run(() -> {
        CommandArgs.checkTailable(addresses);
        if (count != null && count < 1 || seconds != null && seconds < 1) {
          throw EbFailure.usage("--count and --seconds must be at least 1");
        }
        try (EbClient client = connection.connect()) {
          int received = client.tail(addresses, count == null ? 0 : count, seconds == null ? 0 : seconds,
              () -> System.err.println("lab eb: tailing " + String.join(", ", addresses) + " (Ctrl-C to stop)"),
              message -> System.out.println(JsonText.line(message, json, LocalTime.now())));
          if (seconds != null && (count == null || received < count)) { // the time ran out
            System.err.println("lab eb: " + received + " message(s) in " + seconds + " s");
          }
        }
        return ExitCodes.OK;
      });
    }
  }
}
