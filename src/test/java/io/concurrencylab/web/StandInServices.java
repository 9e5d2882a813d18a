package io.concurrencylab.web;

import io.concurrencylab.bus.Addresses;
import io.concurrencylab.bus.ClusterMessages.Changed;
import io.concurrencylab.bus.ClusterMessages.Member;
import io.concurrencylab.bus.ClusterMessages.Members;
import io.concurrencylab.bus.Failures;
import io.concurrencylab.bus.LabException;
import io.concurrencylab.bus.SquaresMessages;
import io.concurrencylab.bus.SquaresMessages.NodeStats;
import io.concurrencylab.bus.SquaresMessages.Phase;
import io.concurrencylab.bus.SquaresMessages.Progress;
import io.concurrencylab.bus.SquaresMessages.RunRecord;
import io.concurrencylab.bus.SquaresMessages.RunRequest;
import io.concurrencylab.bus.SquaresMessages.SizeResult;
import io.concurrencylab.bus.SquaresMessages.Started;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Stand-ins for the squares and cluster handlers another branch builds, speaking the contract: a sweep "runs" on
 * timers (progress per phase, then the record), and the members are this process plus any {@link #join}ed. Only
 * for exercising the page; nothing here launches a process.
 */
final class StandInServices extends VerticleBase {
  static final long STEP_MS = 150;
  private final List<RunRecord> runs = new ArrayList<>();
  private final List<Member> members = new ArrayList<>(
      List.of(new Member("a1b2c3d4-app", ProcessHandle.current().pid(), "127.0.0.1", "app", 4_000)));
  private boolean running;

  @Override
  public Future<?> start() {
    return Future.all(
        vertx.eventBus().consumer(Addresses.SQUARES_START, m -> {
          try {
            RunRequest request = RunRequest.fromBody(m.body(), 8, 1_000_000);
            if (running) {
              throw new LabException(Failures.CONFLICT, "a sweep is already running");
            }
            running = true;
            String id = "run-" + (runs.size() + 1);
            m.reply(new Started(id).toJson());
            sweep(id, request);
          } catch (RuntimeException e) {
            Failures.reply(m, e);
          }
        }).completion(),
        vertx.eventBus().consumer(Addresses.SQUARES_RUNS, m -> m.reply(SquaresMessages.runs(runs))).completion(),
        vertx.eventBus().consumer(Addresses.CLUSTER_MEMBERS, m -> m.reply(new Members(members).toJson())).completion());
  }

  /** A member joins; published as the contract's lab.cluster.changed. */
  void join(Member member) {
    vertx.runOnContext(v -> {
      members.add(member);
      vertx.eventBus().publish(Addresses.CLUSTER_CHANGED, new Changed("joined", member, members.size()).toJson());
    });
  }

  private void sweep(String id, RunRequest request) {
    String started = Instant.now().toString();
    List<SizeResult> sizes = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int size : request.sizes()) {
      chain = chain.compose(v -> oneSize(id, size, request.count())).map(result -> {
        sizes.add(result);
        return null;
      });
    }
    chain.onComplete(ar -> {
      running = false;
      RunRecord record = new RunRecord(id, started, Instant.now().toString(), request, true, null, sizes, null,
          new JsonObject().put("cores", Runtime.getRuntime().availableProcessors()));
      runs.add(record);
      vertx.eventBus().publish(Addresses.SQUARES_FINISHED, record.toJson());
    });
  }

  private Future<SizeResult> oneSize(String id, int size, long numbers) {
    return step(new Progress(id, size, Phase.LAUNCH, size, size))
        .compose(v -> step(new Progress(id, size, Phase.COMPUTE, numbers / 3, numbers)))
        .compose(v -> step(new Progress(id, size, Phase.COMPUTE, numbers, numbers)))
        .compose(v -> step(new Progress(id, size, Phase.TEARDOWN, size, size)))
        .map(v -> {
          List<NodeStats> nodes = new ArrayList<>();
          for (int i = 0; i < size; i++) {
            nodes.add(new NodeStats("node-" + i, 1000 + i, 1, numbers / size + (i < numbers % size ? 1 : 0), 0.1, 60));
          }
          // a launch that grows with the size, as a real sweep's does
          double launch = 400.0 + 350 * size;
          return new SizeResult(size, 1, launch, STEP_MS * 2, 120 + 20 * size, launch + STEP_MS * 2 + 120 + 20 * size,
              0, List.of(), nodes);
        });
  }

  private Future<Void> step(Progress progress) {
    Promise<Void> done = Promise.promise();
    vertx.setTimer(STEP_MS, t -> {
      vertx.eventBus().publish(Addresses.SQUARES_PROGRESS, progress.toJson());
      done.complete();
    });
    return done.future();
  }
}
