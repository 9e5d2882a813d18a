package io.concurrencylab.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.partition.PartitionService;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.Status;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * /health's cluster check answers within its bound whatever Hazelcast does, shares a young question, and asks again
 * once it is old, a few at a time. Hazelcast's partition service is a stand-in here: the test says when and what it
 * answers (a real one is slow only right after members go, which a test cannot time).
 */
class ClusterSafetyTest {
  private final Vertx vertx = Vertx.vertx();
  private final List<Throwable> unhandled = new CopyOnWriteArrayList<>();
  /** The questions asked, each answered when the test completes it. */
  private final LinkedBlockingQueue<CompletableFuture<Boolean>> asked = new LinkedBlockingQueue<>();
  private final List<CompletableFuture<Boolean>> all = new CopyOnWriteArrayList<>();
  private final PartitionService partitions = (PartitionService) java.lang.reflect.Proxy.newProxyInstance(
      getClass().getClassLoader(), new Class<?>[] {PartitionService.class}, (proxy, method, args) -> {
        if (!method.getName().equals("isClusterSafe")) {
          throw new UnsupportedOperationException(method.getName());
        }
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        asked.add(answer);
        all.add(answer);
        return answer.get(30, TimeUnit.SECONDS);
      });
  private final Handler<Promise<Status>> procedure = new ClusterSafety(vertx, partitions).procedure();

  ClusterSafetyTest() {
    vertx.exceptionHandler(unhandled::add);
  }

  @AfterEach
  void close() {
    all.forEach(a -> a.complete(true)); // no worker thread left waiting
    vertx.close().await();
  }

  private io.vertx.core.Future<Status> check() {
    Promise<Status> promise = Promise.promise();
    vertx.runOnContext(v -> procedure.handle(promise));
    return promise.future();
  }

  private CompletableFuture<Boolean> nextQuestion() throws InterruptedException {
    CompletableFuture<Boolean> question = asked.poll(10, TimeUnit.SECONDS);
    assertThat(question).as("a question to Hazelcast").isNotNull();
    return question;
  }

  @Test
  void safeIsUpAndNotSafeIsDownWithWhy() throws Exception {
    var up = check();
    nextQuestion().complete(true);
    assertThat(up.await(10, TimeUnit.SECONDS).isOk()).isTrue();

    var down = check();
    nextQuestion().complete(false);
    Status status = down.await(10, TimeUnit.SECONDS);
    assertThat(status.isOk()).isFalse();
    assertThat(status.getData().getString("error")).contains("not safe");
  }

  /** Down with why when Hazelcast is slow, and its late answer completes nothing twice (nothing unhandled). */
  @Test
  void aQuestionNotAnsweredInTimeIsDownAndItsLateAnswerIsHarmless() throws Exception {
    var slow = check();
    CompletableFuture<Boolean> question = nextQuestion();
    Status status = slow.await(10, TimeUnit.SECONDS);
    assertThat(status.isOk()).isFalse();
    assertThat(status.getData().getString("error")).contains("did not say within 1500 ms");

    question.complete(true); // late
    var next = check();
    nextQuestion().complete(true);
    assertThat(next.await(10, TimeUnit.SECONDS).isOk()).isTrue();
    assertThat(unhandled).isEmpty();
  }

  /** Checks that come while a question is young share it; an old one is asked again, up to MAX_ASKING at once. */
  @Test
  void aYoungQuestionIsSharedAndAnOldOneAskedAgainAFewAtATime() throws Exception {
    var first = check();
    var second = check(); // at once: the same question
    nextQuestion();
    assertThat(first.await(10, TimeUnit.SECONDS).isOk()).isFalse();
    assertThat(second.await(10, TimeUnit.SECONDS).isOk()).isFalse();
    assertThat(asked).as("no second question").isEmpty();

    for (int i = 2; i <= ClusterSafety.MAX_ASKING; i++) { // each check comes once the newest question is old
      var again = check();
      nextQuestion();
      assertThat(again.await(10, TimeUnit.SECONDS).isOk()).isFalse();
    }
    var more = check();
    assertThat(more.await(10, TimeUnit.SECONDS).isOk()).isFalse();
    assertThat(asked).as("no more than " + ClusterSafety.MAX_ASKING + " questions out").isEmpty();
  }
}
