package io.concurrencylab.list;

import static org.assertj.core.api.Assertions.assertThat;

import io.concurrencylab.bus.ListMessages.Snapshot;
import io.concurrencylab.config.LabConfig;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The lines of {@code lab list} are true: replaying them in order reproduces every list they print. */
class ListProgramTest {
  static final Pattern ADDED = Pattern.compile("Added (\\d+) to the list\\. Current list: (\\[.*])");
  static final Pattern REMOVED = Pattern.compile("Removed (\\d+) from the list\\. Current list: (\\[.*])");
  static final String EMPTY = "List is empty. Waiting for elements to add.";

  @Test
  void replayingThePrintedLinesReproducesEveryPrintedList() throws Exception {
    LabConfig fast = LabConfig.defaults().with("list.producerMinMs", 1).with("list.producerMaxMs", 4)
        .with("list.consumerMinMs", 1).with("list.consumerMaxMs", 5);
    List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch enough = new CountDownLatch(300);
    Vertx vertx = Vertx.vertx();
    Snapshot last;
    try {
      ListProgram program = ListProgram.start(vertx, fast, line -> {
        lines.add(line);
        enough.countDown();
      }).await();
      assertThat(enough.await(30, TimeUnit.SECONDS)).as("300 lines printed").isTrue();
      last = program.stop().await();
    } finally {
      vertx.close().await();
    }

    ArrayDeque<Long> replay = new ArrayDeque<>();
    int adds = 0;
    int removes = 0;
    int empties = 0;
    for (String line : new ArrayList<>(lines)) {
      Matcher added = ADDED.matcher(line);
      Matcher removed = REMOVED.matcher(line);
      if (added.matches()) {
        replay.addLast(Long.parseLong(added.group(1)));
        assertThat(added.group(2)).as(line).isEqualTo(replay.toString());
        adds++;
      } else if (removed.matches()) {
        assertThat(replay.pollFirst()).as("removes the head: " + line).isEqualTo(Long.parseLong(removed.group(1)));
        assertThat(removed.group(2)).as(line).isEqualTo(replay.toString());
        removes++;
      } else {
        assertThat(line).isEqualTo(EMPTY);
        assertThat(replay).as("empty only when the list is").isEmpty();
        empties++;
      }
    }
    assertThat(adds).isPositive();
    assertThat(removes).isPositive();
    assertThat(new ArrayList<>(replay)).as("what the lines leave is what the owner has").isEqualTo(last.items());
    assertThat(last.added()).isEqualTo(adds);
    assertThat(last.removed()).isEqualTo(removes);
    assertThat(ListProgram.summary(last, 3)).isEqualTo("Stopped after 3 s: " + adds + " added, " + removes
        + " removed, " + replay.size() + " left " + replay);
    assertThat(empties + adds + removes).isEqualTo(lines.size());
  }
}
