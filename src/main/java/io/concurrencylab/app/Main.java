package io.concurrencylab.app;

import io.concurrencylab.bus.ExitCodes;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code launcher/lab}: one jar, every role. Each subcommand is one way of doing work at once; see
 * {@code lab --help}. A hand-written picocli main rather than Vert.x's VertxApplication, because most commands are
 * programs that run and exit (and print the lesson's lines), not a single verticle to deploy.
 */
@Command(name = "lab", mixinStandardHelpOptions = true, version = Main.VERSION,
    description = "Threads, workers and processes, the Vert.x way.",
    subcommands = {ServeCommand.class, ListCommand.class, FactorialsCommand.class, SquaresCommand.class,
        NodeCommand.class, ClusterCommand.class, EbCommand.class, BenchCommand.class, CompareCommand.class},
    footer = {"", ExitCodes.TABLE})
public final class Main implements Runnable {
  /** What {@code -V} / {@code --version} prints, on every command that offers it. */
  static final String VERSION = "concurrency-lab 0.1";

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    processDefaults(System.getProperties());
    System.exit(run(args));
  }

  /** Netty's switch for the flight-recorder events of its buffer allocator. */
  static final String NETTY_JFR = "io.netty.jfr.enabled";

  /**
   * JVM-wide defaults of a lab process, set before any library reads them; a value given with {@code -D} (in
   * {@code LAB_JAVA_OPTS} or {@code squares.nodeJvmFlags}) wins. Netty's allocator defines flight-recorder events, and
   * the first buffer a process writes to a socket registers them with the flight recorder: ~50 ms of CPU in each
   * node's start, on the event loop (measured with async-profiler), and in every coordinator and CLI. Nobody records
   * those events here; whoever wants them passes {@code -Dio.netty.jfr.enabled=true}.
   */
  static void processDefaults(java.util.Properties system) {
    system.putIfAbsent(NETTY_JFR, "false");
  }

  /** Runs a command line and returns its exit code (tests call this instead of main). */
  public static int run(String... args) {
    // A sweep starts many `lab node` processes at once: build only that command, not the whole tree (picocli
    // reflects over every subcommand and its annotations, ~30 ms of each node's start on this machine).
    boolean nodeOnly = args.length > 0 && args[0].equals("node");
    if (nodeOnly) {
      NodeCommand.watchParent(args); // before parsing: a node must not outlive its parent by picocli's start-up
      var quick = NodeCommand.parseQuickly(java.util.Arrays.copyOfRange(args, 1, args.length));
      if (quick.isPresent()) { // a sweep's node: no picocli model to build (NodeCommand.parseQuickly has why)
        try {
          return quick.get().call();
        } catch (Exception e) {
          return failed(e, new java.io.PrintWriter(System.err, true), args);
        }
      }
    }
    CommandLine cli = nodeOnly
        ? new CommandLine(CommandLine.Model.CommandSpec.forAnnotatedObject(new NodeCommand()).name("lab node"))
        : new CommandLine(new Main());
    cli.setExpandAtFiles(false); // "lab eb ... @body.json" is a BODY read by eb, not an argument file for picocli
    // One readable line for a bad command line, not the error followed by the whole usage text.
    cli.setParameterExceptionHandler((e, cmdArgs) -> {
      String name = e.getCommandLine().getCommandSpec().qualifiedName(); // "lab", "lab cluster start", ...
      var commands = e.getCommandLine().getSubcommands().keySet();
      String message = e.getMessage();
      if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !commands.isEmpty()
          && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")) {
        message = "unknown command '" + io.concurrencylab.bus.Bodies.cut(unmatched.getUnmatched().get(0), 40)
            + "' (commands: " + String.join(", ", commands) + ")";
      }
      java.util.regex.Matcher notWhole = NOT_A_WHOLE_NUMBER.matcher(message);
      if (notWhole.matches()) { // picocli's "'1.5' is not a long": say what it takes, as the config keys do
        message = notAWholeNumber(notWhole);
      }
      e.getCommandLine().getErr().println(name + ": " + message + " (see: " + name + " --help)");
      return ExitCodes.USAGE;
    });
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> failed(e, cmd.getErr(), args));
    return nodeOnly ? cli.execute(java.util.Arrays.copyOfRange(args, 1, args.length)) : cli.execute(args);
  }

  /** picocli's wording for a number option or parameter given something else. */
  private static final java.util.regex.Pattern NOT_A_WHOLE_NUMBER = java.util.regex.Pattern.compile(
      "Invalid value for (?:option '([^']+)'|positional parameter at index \\d+ \\(([^)]+)\\)): '(.*)' is not an? "
      + "(int|long)", java.util.regex.Pattern.DOTALL);

  /** "--timeout takes a whole number, got '1.5'", or for a whole number too large for the option's type, its bound. */
  private static String notAWholeNumber(java.util.regex.Matcher picocli) {
    String option = picocli.group(1) != null ? picocli.group(1) : picocli.group(2);
    String given = io.concurrencylab.bus.Bodies.cut(picocli.group(3), 40);
    if (!picocli.group(3).matches("[+-]?[0-9]+")) {
      return option + " takes a whole number, got '" + given + "'";
    }
    boolean isInt = picocli.group(4).equals("int");
    return option + " is out of range: " + given + (given.startsWith("-")
        ? " (at least " + (isInt ? Integer.MIN_VALUE : Long.MIN_VALUE) + ")"
        : " (at most " + (isInt ? Integer.MAX_VALUE : Long.MAX_VALUE) + ")");
  }

  private static int failed(Exception e, java.io.PrintWriter err, String[] args) {
    if (e instanceof IllegalArgumentException) { // configuration and argument checks
      err.println("lab: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    err.println("lab: unexpected error: " + e + " (run with --verbose for the stack trace)");
    if (java.util.Arrays.asList(args).contains("--verbose")) {
      e.printStackTrace(err);
    }
    return ExitCodes.UNEXPECTED;
  }

  /** {@code lab} alone: the usage on stderr and exit 2, like any command missing its subcommand. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
  }
}
