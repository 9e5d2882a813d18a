package io.concurrencylab.app;

import io.concurrencylab.bus.ExitCodes;
import io.concurrencylab.cluster.ClusterSettings;
import io.concurrencylab.cluster.SplitWatch;
import io.concurrencylab.config.AccessToken;
import io.concurrencylab.config.LabConfig;
import io.concurrencylab.web.Metrics;
import io.vertx.core.VertxOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "serve", description = "The app: the status page and JSON API on http.host:http.port (/, /api, "
    + "/events, /health, /metrics), the event-bus bridge for lab eb on bridge.port, the list owner with its producer "
    + "and consumer, factorial workers, squares sweeps; joins the app's cluster. Runs until Ctrl-C or SIGTERM.")
final class ServeCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions options;
  @picocli.CommandLine.Option(names = "--parent-pid", hidden = true,
      description = "Stop when this process is gone (benchmarks that start serves set it).")
  Long parentPid;
  @picocli.CommandLine.Option(names = "--join", paramLabel = "HOST:PORT", split = ",", description = "Join the app's "
      + "cluster through these members on other hosts (repeatable or comma separated), besides this host's range "
      + "(also cluster.join); finding nobody there is an error. Bind and advertise with --set cluster.host=ADDRESS.")
  java.util.List<String> join;

  /** Why serve stops when its Hazelcast member was shut down under it ({@link SplitWatch}). */
  static final String MEMBER_LOST = "its cluster member was shut down by Hazelcast";

  @Override
  public Integer call() throws Exception {
    LabConfig config = options.load();
    AccessToken token = AccessToken.load(config, System.getenv()).orElse(null);
    String exposed = exposedWithoutToken(config, token);
    if (exposed != null) {
      System.err.println("lab serve: " + exposed);
      return ExitCodes.USAGE;
    }
    Lifecycle lifecycle = new Lifecycle();
    if (parentPid != null) {
      io.concurrencylab.cluster.ParentWatch.start(parentPid, null,
          how -> lifecycle.requestStop("parent " + parentPid + " gone (" + how + ")"));
    }
    // serve is a member of the app's cluster (where `lab cluster start` nodes run) unless cluster.enabled=false
    // One event loop by default: the bridge, the HTTP API and the list's owner then pass each operation on without
    // waking another thread (conf/config.json's eventLoops; README has what it bought)
    VertxOptions options = new VertxOptions().setMetricsOptions(Metrics.options(config.httpEventBusMetrics()))
        .setEventLoopPoolSize(config.eventLoops());
    Future<ClusterSettings.Clustered> joining = config.clusterEnabled()
        ? ClusterSettings.app(config, "serve", false).joining(join)
            .join(options, java.util.Map.of(), config.clusterDataMembers()) : Future.succeededFuture();
    var joined = lifecycle.unlessStopped(joining);
    if (joined.isEmpty() && config.clusterEnabled()) {
      // the process ends with its half-made member: the others see its connections close
      System.err.println("lab serve: " + lifecycle.await(Duration.ZERO) + " while joining the cluster; stopped");
      return ExitCodes.INTERRUPTED;
    }
    ClusterSettings.Clustered clustered = joined.orElse(null);
    if (clustered != null) { // a member Hazelcast shut down on its own (a failed rejoin after a split) ends serve
      SplitWatch.start(clustered.manager(), () -> lifecycle.requestStop(MEMBER_LOST));
    }
    Vertx vertx = clustered != null ? clustered.vertx() : Vertx.vertx(options);
    ServeApp app;
    try {
      var started = lifecycle.unlessStopped(
          ServeApp.deploy(vertx, config, clustered == null ? null : clustered.manager(), token));
      if (started.isEmpty()) {
        System.err.println("lab serve: " + lifecycle.await(Duration.ZERO) + " while starting; closing Vert.x");
        Lifecycle.stopAndClose(vertx, Future::succeededFuture);
        return ExitCodes.INTERRUPTED;
      }
      app = started.get();
    } catch (Exception e) {
      vertx.close().await();
      System.err.println("lab serve: could not start: " + e.getMessage());
      return e instanceof IllegalArgumentException ? ExitCodes.USAGE : ExitCodes.UNEXPECTED; // (a port in use)
    }
    System.out.println("concurrency-lab serving on http://" + config.httpHost() + ":" + app.httpPort()
        + "  (health: /health; Ctrl-C to stop)");
    System.out.println("event-bus bridge on " + config.bridgeHost() + ":" + app.bridgePort());
    System.out.println(clustered == null ? "not clustered (cluster.enabled=false)"
        : "member of cluster " + config.clusterName() + " as node " + clustered.nodeId() + " at "
            + clustered.manager().getHazelcastInstance().getCluster().getLocalMember().getAddress() + " (event bus port "
            + options.getEventBusOptions().getPort() + ", " + clustered.manager().getHazelcastInstance().getCluster()
            .getMembers().size() + " member(s))");
    String signal = lifecycle.await(null);
    System.out.println("lab serve: " + signal + ", closing Vert.x");
    Lifecycle.stopAndClose(vertx, Future::succeededFuture);
    System.out.println("lab serve: stopped");
    return MEMBER_LOST.equals(signal) ? ExitCodes.UNEXPECTED : ExitCodes.OK;
  }

  /**
   * Why serve must not start: it would listen beyond loopback (http.host or bridge.host) with no access token, so
   * anyone on the network could change the list and launch processes. Null when it may start.
   */
  static String exposedWithoutToken(LabConfig config, AccessToken token) {
    if (token != null) {
      return null;
    }
    for (String[] listen : new String[][] {{"http.host", config.httpHost()}, {"bridge.host", config.bridgeHost()}}) {
      if (!AccessToken.loopback(listen[1])) {
        return "refusing to listen on " + listen[1] + " (" + listen[0] + ") without an access token: put one in a "
            + "file readable only by you and pass --set auth.tokenFile=FILE, or set " + AccessToken.ENV
            + " (README: Security)";
      }
    }
    return null;
  }
}
