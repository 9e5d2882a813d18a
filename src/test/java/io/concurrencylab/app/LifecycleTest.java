package io.concurrencylab.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How a long-running command ends: also while it is still starting. */
class LifecycleTest {
  @Test
  void aStopEndsAStartThatNeverEnds() throws Exception {
    Lifecycle lifecycle = new Lifecycle(false);
    Promise<String> hanging = Promise.promise();
    Thread stopper = new Thread(() -> lifecycle.requestStop("SIGINT"));
    stopper.start();
    assertThat(lifecycle.unlessStopped(hanging.future())).isEmpty();
    assertThat(lifecycle.await(Duration.ZERO)).isEqualTo("SIGINT");
    stopper.join();
  }

  @Test
  void aStartThatEndsGivesItsResultOrItsFailure() throws Exception {
    Lifecycle lifecycle = new Lifecycle(false);
    assertThat(lifecycle.unlessStopped(Future.succeededFuture("app"))).contains("app");
    assertThatThrownBy(() -> lifecycle.unlessStopped(Future.failedFuture(new IllegalStateException("port in use"))))
        .isInstanceOf(IllegalStateException.class).hasMessage("port in use");
  }
}
