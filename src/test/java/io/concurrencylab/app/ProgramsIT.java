package io.concurrencylab.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import io.concurrencylab.testing.LabProcess;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The commands as a user runs them: the real jar, a real process, its real output and exit code. */
class ProgramsIT {
  static final Duration START = Duration.ofSeconds(60);

  @Test
  void factorialsPrintsOneToTenAsTheyComplete() throws Exception {
    try (LabProcess lab = LabProcess.start("factorials")) {
      assertThat(lab.awaitExit(START)).isZero();
      assertThat(lab.stdoutLines()).containsExactlyInAnyOrder("Factorial of 1 is 1", "Factorial of 2 is 2",
          "Factorial of 3 is 6", "Factorial of 4 is 24", "Factorial of 5 is 120", "Factorial of 6 is 720",
          "Factorial of 7 is 5040", "Factorial of 8 is 40320", "Factorial of 9 is 362880", "Factorial of 10 is 3628800");
    }
  }

  @Test
  void aBadFactorialIsOneLineOnStderrAndANonZeroExitWhileTheOthersPrint() throws Exception {
    try (LabProcess lab = LabProcess.start("factorials", "5", "-3", "100001", "20")) {
      assertThat(lab.awaitExit(START)).isEqualTo(3);
      assertThat(lab.stdoutLines()).containsExactlyInAnyOrder("Factorial of 5 is 120",
          "Factorial of 20 is 2432902008176640000");
      assertThat(lab.stderr().lines().filter(l -> l.startsWith("Factorial of")))
          .containsExactlyInAnyOrder("Factorial of -3 failed: 400 n must be 0 or more, got -3",
              "Factorial of 100001 failed: 400 n must be at most 100000 (factorial.maxN), got 100001");
    }
  }

  @Test
  void listRunsForTheGivenSecondsThenSummarises() throws Exception {
    try (LabProcess lab = LabProcess.start("list", "--seconds", "2", "--set", "list.producerMinMs=10",
        "--set", "list.producerMaxMs=30", "--set", "list.consumerMinMs=10", "--set", "list.consumerMaxMs=40")) {
      assertThat(lab.awaitExit(START)).isZero();
      List<String> lines = lab.stdoutLines();
      assertThat(lines).isNotEmpty();
      String summary = lines.get(lines.size() - 1);
      Matcher m = Pattern.compile("Stopped after \\d+ s: (\\d+) added, (\\d+) removed, (\\d+) left \\[.*]").matcher(summary);
      assertThat(m.matches()).as(summary).isTrue();
      long adds = lines.stream().filter(l -> l.startsWith("Added ")).count();
      long removes = lines.stream().filter(l -> l.startsWith("Removed ")).count();
      assertThat(adds).isPositive().isEqualTo(Long.parseLong(m.group(1)));
      assertThat(removes).isEqualTo(Long.parseLong(m.group(2)));
      assertThat(adds - removes).isEqualTo(Long.parseLong(m.group(3)));
    }
  }

  @Test
  void badOptionsAreAUsageError() throws Exception {
    try (LabProcess lab = LabProcess.start("list", "--seconds", "0")) {
      assertThat(lab.awaitExit(START)).isEqualTo(2);
      assertThat(lab.stderr()).contains("--seconds must be at least 1");
    }
    try (LabProcess lab = LabProcess.start("serve", "--set", "http.prot=1")) {
      assertThat(lab.awaitExit(START)).isEqualTo(2);
      assertThat(lab.stderr()).contains("unknown configuration key 'http.prot'");
    }
  }

  @Test
  void serveAnswersHealthAndStopsCleanlyOnSigterm() throws Exception {
    try (LabProcess lab = LabProcess.start("serve", "--set", "http.port=0", "--set", "bridge.port=0",
        "--set", "cluster.name=it-programs", "--set", "cluster.port=5971")) {
      Matcher serving = lab.awaitLine(Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+)"), START);
      int port = Integer.parseInt(serving.group(1));
      HttpResponse<String> health = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"outcome\":\"UP\"").contains("list-owner").contains("factorial-workers");

      lab.terminate();
      assertThat(lab.awaitExit(Duration.ofSeconds(30))).as("exit code after SIGTERM").isZero();
      assertThat(lab.stdoutLines()).as("stderr: " + lab.stderr()).contains("lab serve: stopped");
    }
  }
}
