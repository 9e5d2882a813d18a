package io.concurrencylab.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ParentWatchTest {
  private final CompletableFuture<String> gone = new CompletableFuture<>();

  @Test
  void theEndOfThePipeIsNoticedAtOnce() throws Exception {
    PipedOutputStream parentEnd = new PipedOutputStream();
    PipedInputStream nodeEnd = new PipedInputStream(parentEnd);
    // this very process as the "parent": alive throughout, so only the pipe can tell
    ParentWatch.start(ProcessHandle.current().pid(), nodeEnd, gone::complete);
    parentEnd.write(new byte[] {1, 2, 3}); // whatever comes through is not an end
    parentEnd.flush();
    long closed = System.nanoTime();
    parentEnd.close();
    assertThat(gone.get(5, TimeUnit.SECONDS)).contains("pipe");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closed)).isLessThan(ParentWatch.INTERVAL_MS);
  }

  @Test
  void aParentThatExitsIsNoticedByItsPidWithoutAPipe() throws Exception {
    Process parent = new ProcessBuilder("sleep", "60").start();
    try {
      ParentWatch.start(parent.pid(), null, gone::complete);
      assertThat(gone).isNotDone();
      parent.destroyForcibly().waitFor();
      assertThat(gone.get(5, TimeUnit.SECONDS)).contains("no longer running");
    } finally {
      parent.destroyForcibly().waitFor();
    }
  }

  @Test
  void aParentNotRunningAtTheStartIsGoneAtOnce() throws Exception {
    Process parent = new ProcessBuilder("true").start();
    parent.waitFor();
    ParentWatch.start(parent.pid(), null, gone::complete);
    assertThat(gone.get(5, TimeUnit.SECONDS)).contains("not running");
  }
}
