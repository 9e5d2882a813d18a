package io.concurrencylab.bus;

import io.vertx.core.eventbus.ReplyException;

/**
 * The exit codes of every {@code lab} command, in one table. {@code lab --help} prints it.
 *
 * <pre>
 *  0  ok
 *  1  unexpected error (a bug; run with --verbose for the stack trace); a serve or node whose cluster member
 *     Hazelcast shut down (a failed rejoin after a split: it says so in its log)
 *  2  usage: bad command line or configuration; nothing was done
 *  3  a failure reply: the handler refused or failed the request (its code and message are printed)
 *  4  timeout: no reply in time
 *  5  no handler at that address (is the app serving it?)
 *  6  address refused by the bridge (not in the public contract)
 *  7  app not reachable (start it with launcher/lab serve), or its bridge full
 * 130  interrupted (Ctrl-C; SIGTERM to squares, compare, cluster start, or a serve still starting): what it
 *      started was stopped. What runs until stopped (a running serve, node, list) ends with 0 on Ctrl-C or
 *      SIGTERM; SIGTERM ends the other commands (lab eb...) with the usual 143
 * </pre>
 */
public final class ExitCodes {
  private ExitCodes() {}

  public static final int OK = 0;
  public static final int UNEXPECTED = 1;
  public static final int USAGE = 2;
  public static final int FAILURE_REPLY = 3;
  public static final int TIMEOUT = 4;
  public static final int NO_HANDLER = 5;
  public static final int REFUSED = 6;
  public static final int UNREACHABLE = 7;
  public static final int INTERRUPTED = 130;

  /** For {@code --help}. */
  public static final String TABLE = "Exit codes:%n"
      + "  0  ok%n"
      + "  1  unexpected error (run with --verbose for the stack trace); a serve or%n"
      + "     node whose cluster member Hazelcast shut down after a split%n"
      + "  2  usage: bad command line or configuration; nothing was done%n"
      + "  3  failure reply: the handler refused or failed the request%n"
      + "  4  timeout: no reply in time%n"
      + "  5  no handler at that address%n"
      + "  6  address refused by the bridge (not in the public contract)%n"
      + "  7  app not reachable (start it with: launcher/lab serve), or its bridge full%n"
      + "130  interrupted (Ctrl-C; SIGTERM to squares, compare, cluster start, or a%n"
      + "     serve still starting): what it started was stopped. What runs until%n"
      + "     stopped (a running serve, node, list) ends with 0 on Ctrl-C or SIGTERM;%n"
      + "     SIGTERM ends lab eb and the like with 143";

  /** The exit code for a failed request. */
  public static int of(Throwable e) {
    if (e instanceof ReplyException re) {
      return switch (re.failureType()) {
        case RECIPIENT_FAILURE -> FAILURE_REPLY;
        case TIMEOUT -> TIMEOUT;
        case NO_HANDLERS -> NO_HANDLER;
        case ERROR -> UNEXPECTED;
      };
    }
    return e instanceof LabException ? FAILURE_REPLY : UNEXPECTED;
  }
}
