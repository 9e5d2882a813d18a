package io.concurrencylab.cluster;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.Bodies;
import io.concurrencylab.bus.ClusterMessages;
import io.concurrencylab.bus.Failures;
import io.concurrencylab.bus.LabException;
import io.concurrencylab.bus.NodeMessages;
import io.concurrencylab.bus.NodeMessages.Report;
import io.concurrencylab.config.LabConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The node processes of serve's page ({@code lab.nodes.*}): keeps the {@link NodeTable} from the nodes' own reports,
 * publishes it at most once a second, and launches and stops the nodes this serve owns on the app's cluster (they
 * watch this process, and it stops them when it stops). A node's log is read only from a file this serve knows:
 * one it launched the node with, or the run folder of {@code lab cluster start}.
 */
public final class NodesVerticle extends VerticleBase {
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  private final LabConfig config;
  private final NodeTable table = new NodeTable();
  private NodeProcesses processes;
  private long timer = -1;
  private int launching;

  public NodesVerticle(LabConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    long self = ProcessHandle.current().pid();
    processes = NodeProcesses.ofAppCluster(config.squaresNodeJvmFlags(),
            config.dataDir().resolve("logs").resolve("serve-" + self))
        .watchedBy(new NodeProcesses.Watcher() {
          @Override
          public void launched(NodeProcesses.Node node) {} // add() puts it in the table

          @Override
          public void reported(JsonObject report, NodeProcesses.Node node) {}

          @Override
          public void exited(NodeProcesses.Node node) {
            context.runOnContext(v -> table.exited(node.pid(), now(), "exited (" + node.process().exitValue() + ")"));
          }
        });
    var bus = vertx.eventBus();
    NodesJournalReader journals = new NodesJournalReader(config.dataDir());
    timer = vertx.setPeriodic(NodeMessages.PUBLISH_EVERY_MS, id -> {
      // the nodes of lab squares runs on this machine, from their journals (read off the event loop)
      vertx.executeBlocking(journals::read, false).onSuccess(bodies -> bodies.forEach(this::fromJournal));
      if (table.tick(now())) {
        bus.publish(Addresses.NODES_CHANGED, list(), LOCAL);
      }
    });
    return Future.all(List.of(
        bus.<JsonObject>consumer(Addresses.NODES_REPORT, m -> report(m.body())).completion(),
        bus.<JsonObject>localConsumer(Addresses.NODES_SWEEP, m -> fromSweep(m.body())).completion(),
        bus.<JsonObject>consumer(Addresses.CLUSTER_CHANGED, m -> left(m.body())).completion(),
        bus.localConsumer(Addresses.NODES_LIST, m -> answer(m, () -> {
          Bodies.none(m.body(), Addresses.NODES_LIST);
          return Future.succeededFuture(list());
        })).completion(),
        bus.localConsumer(Addresses.NODES_ADD, m -> answer(m, () -> add(NodeMessages.Add.fromBody(m.body()))))
            .completion(),
        bus.localConsumer(Addresses.NODES_STOP, m -> answer(m, () -> stop(NodeMessages.Which.fromBody(m.body()))))
            .completion(),
        bus.localConsumer(Addresses.NODES_LOG, m -> answer(m, () -> log(NodeMessages.Which.fromBody(m.body()))))
            .completion()));
  }

  /** Serve is stopping: the nodes it launched go with it (they would anyway: they watch it). */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return processes.stopAll(config.squaresStopGraceMs());
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  private JsonObject list() {
    return table.toJson(now(), config.clusterMaxServeNodes());
  }

  /** Replies with what {@code work} completes with, or the failure reply (bad input throws inside it). */
  private static void answer(Message<?> msg, java.util.function.Supplier<Future<JsonObject>> work) {
    Future<JsonObject> answer;
    try {
      answer = work.get();
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    answer.onSuccess(msg::reply).onFailure(e -> Failures.reply(msg, e));
  }

  /** A report from a node on the app's cluster: ours (launched here), lab cluster start's (its run folder), or another's. */
  private void report(JsonObject body) {
    Report report;
    try {
      report = Report.fromJson(body);
    } catch (RuntimeException e) {
      return; // not a node's report: nothing to show
    }
    boolean known = table.find(report.nodeId()).isPresent();
    NodeTable.Row row = table.reported(report, now());
    if (row == null || known || row.log != null) {
      return;
    }
    Optional<NodeProcesses.Node> ours = processes.launched(report.pid());
    if (ours.isPresent()) {
      row.source = NodeTable.SERVE;
      row.log = ours.get().log();
    } else if (report.host().equals(config.clusterHost())) { // maybe a node of lab cluster start on this machine
      ClusterRun run = new ClusterRun(config.clusterRunDir());
      vertx.executeBlocking(() -> run.recorded().stream().filter(r -> r.pid() == report.pid()).findFirst()
          .map(ClusterRun.Recorded::log), false).onSuccess(log -> log.ifPresent(path -> {
            row.source = NodeTable.CLUSTER;
            row.log = path;
          }));
    }
  }

  /**
   * What one of this process's sweeps says of its nodes, each with its log: {@code {"run", "log", "launched": pid}},
   * {@code {"run", "log", "report": {...}}} (from the node, on the sweep's cluster), {@code {"run", "log", "exited": pid}}.
   */
  /** A line of a lab squares run's journal: as a sweep's body, from a file, so checked like input. */
  private void fromJournal(JsonObject body) {
    try {
      fromSweep(body);
    } catch (RuntimeException e) {
      // not a line a journal writes
    }
  }

  private void fromSweep(JsonObject body) {
    if (body.containsKey("launched")) {
      table.launched(body.getLong("launched"), NodeTable.SWEEP, body.getString("run"), Path.of(body.getString("log")),
          now());
      return;
    }
    if (body.containsKey("exited")) {
      table.exited(body.getLong("exited"), now(), "stopped by its sweep");
      return;
    }
    NodeTable.Row row = table.reported(Report.fromJson(body.getJsonObject("report")), now());
    if (row != null) {
      row.source = NodeTable.SWEEP;
      row.run = body.getString("run");
      row.log = Path.of(body.getString("log"));
    }
  }

  private void left(JsonObject body) {
    try {
      ClusterMessages.Changed changed = ClusterMessages.Changed.fromJson(body);
      if (changed.event().equals("left")) {
        table.left(changed.member().nodeId(), now());
      }
    } catch (RuntimeException e) {
      // not the shape MembershipVerticle publishes: ignored
    }
  }

  /** Launches nodes on the app's cluster, owned by this serve; replies once they are launched (they report when ready). */
  private Future<JsonObject> add(NodeMessages.Add add) {
    if (!vertx.isClustered()) {
      throw new LabException(Failures.CONFLICT, "this serve is not in a cluster (cluster.enabled is false): no "
          + "cluster to add nodes to");
    }
    long running = table.live(NodeTable.SERVE) + launching;
    int max = config.clusterMaxServeNodes();
    if (running + add.count() > max) {
      throw new LabException(Failures.CONFLICT, "a serve runs at most " + max + " nodes (cluster.maxServeNodes); "
          + running + " running, " + add.count() + " asked for");
    }
    List<String> args = new ArrayList<>(ClusterSettings.app(config, "node", false)
        .nodeArgs(null, config.clusterDataMembers()));
    args.addAll(List.of("--parent-pid", Long.toString(ProcessHandle.current().pid()), ParentWatch.PIPE_OPTION));
    launching += add.count(); // counted until they are in the table: two requests at once cannot both pass the bound
    return vertx.executeBlocking(() -> { // fork and exec: blocking
      List<NodeProcesses.Node> nodes = new ArrayList<>();
      for (int i = 0; i < add.count(); i++) {
        nodes.add(processes.launch("serve-" + System.currentTimeMillis() + "-" + i, args));
      }
      return nodes;
    }, false).eventually(() -> {
      launching -= add.count();
      return Future.succeededFuture();
    }).map(nodes -> {
      JsonArray launched = new JsonArray();
      for (NodeProcesses.Node node : nodes) {
        table.launched(node.pid(), NodeTable.SERVE, null, node.log(), now());
        launched.add(new JsonObject().put("pid", node.pid()).put("key", Long.toString(node.pid())));
      }
      return new JsonObject().put("launched", launched).put("maxServeNodes", max);
    });
  }

  private Future<JsonObject> stop(NodeMessages.Which which) {
    NodeTable.Row row = table.find(which.node())
        .orElseThrow(() -> new LabException(Failures.NOT_FOUND, "no node " + which.node() + " known to this serve"));
    Optional<NodeProcesses.Node> ours = row.source.equals(NodeTable.SERVE) ? processes.launched(row.pid) : Optional.empty();
    if (ours.isEmpty()) {
      throw new LabException(Failures.CONFLICT, "node " + row.key() + " (pid " + row.pid + ") is not this serve's: "
          + switch (row.source) {
            case NodeTable.SWEEP -> "it belongs to sweep " + row.run + " (cancel the run to stop its nodes)";
            case NodeTable.CLUSTER -> "lab cluster start launched it (lab cluster stop --node " + row.pid + ")";
            default -> "another process launched it";
          });
    }
    if (row.gone()) {
      throw new LabException(Failures.CONFLICT, "node " + row.key() + " (pid " + row.pid + ") is gone already");
    }
    return processes.stop(ours.get(), config.squaresStopGraceMs()).map(killed -> {
      table.exited(row.pid, now(), killed ? "killed (did not stop in time)" : "stopped from this serve");
      return new JsonObject().put("stopped", row.pid).put("nodeId", row.nodeId).put("killed", killed);
    });
  }

  /** The tail of a node's log: at most cluster.nodeLogTailKiB, from the first whole line. */
  private Future<JsonObject> log(NodeMessages.Which which) {
    NodeTable.Row row = table.find(which.node()).filter(r -> r.log != null)
        .orElseThrow(() -> new LabException(Failures.NOT_FOUND, "no log known for node " + which.node()));
    Path file = row.log;
    int max = config.clusterNodeLogTailKiB() * 1024;
    return vertx.executeBlocking(() -> LogTail.read(file, max), false)
        .recover(e -> Future.failedFuture(new LabException(Failures.NOT_FOUND, "the log of node " + row.key()
            + " cannot be read (" + (e instanceof java.nio.file.NoSuchFileException ? "gone" : e.getMessage()) + ")")))
        .map(tail -> new JsonObject().put("key", row.key()).put("pid", row.pid).put("file", file.getFileName().toString())
            .put("bytes", tail.size()).put("truncated", tail.truncated()).put("text", tail.text()));
  }
}
