package io.concurrencylab.bus;

import java.util.List;

/**
 * Every event-bus address of the product, in one place. Requests are {@code lab.<capability>.<verb>}; published
 * events are past tense. A newcomer looking for the handler of an address searches for its constant name.
 *
 * <p>{@link #PUBLIC_REQUESTS} and {@link #PUBLIC_EVENTS} are the contract users may reach from outside (the CLI
 * bridge, the page); anything else is internal and the bridges refuse it.
 */
public final class Addresses {
  private Addresses() {}

  /** Request: add a value. Handled by {@code list.ListOwnerVerticle}. */
  public static final String LIST_ADD = "lab.list.add";
  /** Request: remove the head. Handled by {@code list.ListOwnerVerticle}. */
  public static final String LIST_REMOVE = "lab.list.remove";
  /** Request: items, size and totals. Handled by {@code list.ListOwnerVerticle}. */
  public static final String LIST_SNAPSHOT = "lab.list.snapshot";
  /** Published by {@code list.ListOwnerVerticle} after every add and remove (and every remove that found it empty). */
  public static final String LIST_CHANGED = "lab.list.changed";
  /**
   * Request: who owns the cluster's list, in which epoch, who votes. Answered by every serve's
   * {@code list.ClusteredListVerticle} (or {@code list.ListOwnerVerticle} when not clustered).
   */
  public static final String LIST_OWNER = "lab.list.owner";
  /** Published by {@code list.ClusteredListVerticle} when a serve becomes the owner: previous, new, the gap. */
  public static final String LIST_OWNER_CHANGED = "lab.list.owner.changed";
  /** Internal: a serve asks the owner to count it among the voters, or not any more. Handled by the owner's {@code list.ClusteredListVerticle}. */
  public static final String LIST_VOTERS = "lab.list.voters";

  /** Internal: one serve's replica of the list (replicate, prepare, fetch, install). Handled by {@code list.ClusteredListVerticle}. */
  public static String listReplica(String nodeId) {
    return "lab.list.replica." + nodeId;
  }

  /**
   * Request: n!. Handled by {@code factorial.FactorialGateVerticle} (503 when {@code factorial.maxInFlight} are in
   * flight), which hands it to {@link #FACTORIAL_WORK}.
   */
  public static final String FACTORIAL_COMPUTE = "lab.factorial.compute";
  /**
   * Internal, in-process: one admitted factorial, with its caller, whom the worker answers. Handled by
   * {@code factorial.FactorialWorkerVerticle} (worker threads).
   */
  public static final String FACTORIAL_WORK = "lab.factorial.work";
  /**
   * Internal, in-process request: how loaded this process's factorial pool is ({@link FactorialMessages.Load}), for
   * /health. Handled by {@code factorial.FactorialGateVerticle} on its event loop: it never waits behind the work.
   */
  public static final String FACTORIAL_LOAD = "lab.factorial.load";

  /** Request: run a squares sweep and reply with its run record when it is done. Handled by {@code squares.SweepVerticle}. */
  public static final String SQUARES_RUN = "lab.squares.run";
  /** Request: start a sweep, reply {@code {"run": id}} at once (409 while one is going). Handled by {@code squares.SweepVerticle}. */
  public static final String SQUARES_START = "lab.squares.start";
  /**
   * Request: cancel a running sweep, {@code {"run": id}}; replies with its record once its nodes are stopped and it
   * is recorded as cancelled (404 for an unknown run, 409 for one that is not running). Handled by
   * {@code squares.SweepVerticle}, which passes it to the serve running the sweep ({@link #squaresCancelOn}).
   */
  public static final String SQUARES_CANCEL = "lab.squares.cancel";

  /** Internal: cancel the sweep running on the serve with this Vert.x node id. Handled by {@code squares.SweepVerticle}. */
  public static String squaresCancelOn(String nodeId) {
    return "lab.squares.cancel." + nodeId;
  }

  /** Request: the run records kept in the history, newest last. Handled by {@code squares.SweepVerticle}. */
  public static final String SQUARES_RUNS = "lab.squares.runs";
  /** Published by {@code squares.SweepVerticle} while a sweep runs (phases and counts). */
  public static final String SQUARES_PROGRESS = "lab.squares.progress";
  /**
   * Published by {@code squares.SweepVerticle} with the whole run record when a sweep ends (done, failed or
   * cancelled), and for a run another process appended to its history file (a {@code lab squares} on the machine).
   */
  public static final String SQUARES_FINISHED = "lab.squares.finished";
  /** Request: the members of the app's cluster. Handled by {@code cluster.MembershipVerticle}. */
  public static final String CLUSTER_MEMBERS = "lab.cluster.members";
  /** Published by {@code cluster.MembershipVerticle} when a member joins or leaves. */
  public static final String CLUSTER_CHANGED = "lab.cluster.changed";

  /**
   * Internal: a node process's report on itself (pid, host, role, CPU %, RSS and peak RSS, chunks done), published
   * once a second ({@code bus.NodeMessages.REPORT_EVERY_MS}) by its {@code squares.SquaresNodeVerticle} on the
   * cluster it is in. Heard by every serve's {@code cluster.NodesVerticle} (nodes of the app's cluster) and by a
   * sweep's coordinator ({@code squares.NodePool}, nodes of the sweep's own cluster), which passes them on to its serve.
   */
  public static final String NODES_REPORT = "lab.nodes.report";
  /**
   * Internal, in-process only: what this process's sweeps hear from their nodes (reports, exits), with the node's
   * log file. Handled by {@code cluster.NodesVerticle} with a local consumer: nothing on the cluster can send it.
   */
  public static final String NODES_SWEEP = "lab.nodes.sweep";
  /** Request: the node processes this serve sees, live and recently gone. Handled by {@code cluster.NodesVerticle}. */
  public static final String NODES_LIST = "lab.nodes.list";
  /**
   * Request: {@code {"count": n}} launches n nodes on the app's cluster, owned by this serve (they watch it, it stops
   * them); 409 past {@code cluster.maxServeNodes}. Handled by {@code cluster.NodesVerticle}.
   */
  public static final String NODES_ADD = "lab.nodes.add";
  /**
   * Request: {@code {"node": "<node id or pid>"}} stops one node this serve launched; replies once it exited (404
   * unknown, 409 not this serve's). Handled by {@code cluster.NodesVerticle}.
   */
  public static final String NODES_STOP = "lab.nodes.stop";
  /** Request: {@code {"node": "<node id or pid>"}}: the tail of that node's log, if this serve knows its file. Handled by {@code cluster.NodesVerticle}. */
  public static final String NODES_LOG = "lab.nodes.log";
  /**
   * Published (in this process only) by {@code cluster.NodesVerticle}, at most once a second and only when something
   * changed: the whole table of nodes, as {@link #NODES_LIST} answers.
   */
  public static final String NODES_CHANGED = "lab.nodes.changed";

  /**
   * Internal, on a sweep's own cluster: a node tells the coordinator it is ready. Handled by {@code squares.Sweep}.
   */
  public static final String SQUARES_READY = "lab.squares.ready";

  /** Internal: the address of one node's work queue (ping, chunk, stats). Handled by {@code squares.SquaresNodeVerticle}. */
  public static String squaresNode(String nodeId) {
    return "lab.squares.node." + nodeId;
  }

  /**
   * Request: start a comparison (Q1: the same tasks run several ways, beside the lesson's Python); reply
   * {@code {"run": id}} at once, 409 while one is going. Handled by {@code compare.CompareVerticle}, registered
   * locally: a serve runs the comparisons asked of it, never another member's.
   */
  public static final String COMPARE_START = "lab.compare.start";
  /** Request: cancel the comparison going (404 when none is). Handled by {@code compare.CompareVerticle}, locally. */
  public static final String COMPARE_CANCEL = "lab.compare.cancel";
  /** Request: the latest report, the run going and its progress. Handled by {@code compare.CompareVerticle}, locally. */
  public static final String COMPARE_LATEST = "lab.compare.latest";
  /** Published (in this process only) by {@code compare.CompareVerticle} as each step of a comparison begins. */
  public static final String COMPARE_PROGRESS = "lab.compare.progress";
  /** Published (in this process only) by {@code compare.CompareVerticle} with the report when a comparison ends. */
  public static final String COMPARE_FINISHED = "lab.compare.finished";
  /** Internal, on a comparison's own cluster: a node tells the coordinator it is ready. Handled by {@code compare.NodeWays}. */
  public static final String COMPARE_READY = "lab.compare.ready";

  /** Internal: one comparison node's tasks. Handled by {@code compare.CompareNodeVerticle}. */
  public static String compareNode(String nodeId) {
    return "lab.compare.node." + nodeId;
  }

  /** Internal, in a comparison's own Vert.x: the tasks of one in-process way. Handled by {@code compare.JvmWays}. */
  public static String compareWay(String way) {
    return "lab.compare.way." + way;
  }

  public static final List<String> PUBLIC_REQUESTS = List.of(LIST_ADD, LIST_REMOVE, LIST_SNAPSHOT, LIST_OWNER, FACTORIAL_COMPUTE,
      SQUARES_RUN, SQUARES_START, SQUARES_CANCEL, SQUARES_RUNS, CLUSTER_MEMBERS, NODES_LIST, NODES_ADD, NODES_STOP, NODES_LOG, COMPARE_START, COMPARE_CANCEL, COMPARE_LATEST);
  public static final List<String> PUBLIC_EVENTS = List.of(LIST_CHANGED, LIST_OWNER_CHANGED, SQUARES_PROGRESS,
      SQUARES_FINISHED, CLUSTER_CHANGED, NODES_CHANGED, COMPARE_PROGRESS, COMPARE_FINISHED);
  /** The requests to the list's owner: carry a {@code requestId}, are held across a failover ({@code bus.OwnerRequests}). */
  public static final List<String> LIST_REQUESTS = List.of(LIST_ADD, LIST_REMOVE, LIST_SNAPSHOT);

  /**
   * Whether a serve answers {@code address} itself, for its own HTTP and bridge clients: every public request but
   * the list's ({@link #LIST_REQUESTS}), which go to the one owner of the cluster. Sent local-only, such a request
   * never waits on another serve (one that just died would leave it waiting for its whole timeout).
   */
  public static boolean servedLocally(String address) {
    return PUBLIC_REQUESTS.contains(address) && !LIST_REQUESTS.contains(address);
  }

  public static boolean isPublic(String address) {
    return PUBLIC_REQUESTS.contains(address) || PUBLIC_EVENTS.contains(address);
  }
}
