package io.concurrencylab.factorial;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class FactorialProgramTest {
  @Test
  void printsEveryResultAsTheLessonDoesAndReportsBadValuesOnTheErrorStream() {
    List<String> out = Collections.synchronizedList(new ArrayList<>());
    List<String> err = Collections.synchronizedList(new ArrayList<>());
    Vertx vertx = Vertx.vertx();
    int failed;
    try {
      FactorialWorkerVerticle.deploy(vertx, 2, 1000).await();
      List<String> args = new ArrayList<>(FactorialProgram.defaultInput());
      // n as text follows HTTP's rules for a path segment: "+5", full-width digits and "1e3" are not integers there
      args.addAll(List.of("-1", "abc", "2.5", "1001", "500", "+5", "\uff11\uff12", "1e3"));
      failed = FactorialProgram.run(vertx, args, 10_000, false, out::add, err::add).await();
    } finally {
      vertx.close().await();
    }
    assertThat(failed).isEqualTo(7);
    assertThat(out).containsExactlyInAnyOrder("Factorial of 1 is 1", "Factorial of 2 is 2", "Factorial of 3 is 6",
        "Factorial of 4 is 24", "Factorial of 5 is 120", "Factorial of 6 is 720", "Factorial of 7 is 5040",
        "Factorial of 8 is 40320", "Factorial of 9 is 362880", "Factorial of 10 is 3628800",
        "Factorial of 500 is " + shortForm(Factorials.naive(500).toString()));
    assertThat(err).containsExactlyInAnyOrder(
        "Factorial of -1 failed: 400 n must be 0 or more, got -1",
        "Factorial of abc failed: 400 not an integer: \"abc\" is a string (expected an integer or {\"n\": <integer>})",
        "Factorial of 2.5 failed: 400 not an integer: \"2.5\" is a string (expected an integer or {\"n\": <integer>})",
        "Factorial of +5 failed: 400 not an integer: \"+5\" is a string (expected an integer or {\"n\": <integer>})",
        "Factorial of \uff11\uff12 failed: 400 not an integer: \"\uff11\uff12\" is a string (expected an integer or "
            + "{\"n\": <integer>})",
        "Factorial of 1e3 failed: 400 not an integer: \"1e3\" is a string (expected an integer or {\"n\": <integer>})",
        "Factorial of 1001 failed: 400 n must be at most 1000 (factorial.maxN), got 1001");
  }

  private static String shortForm(String digits) {
    return digits.substring(0, 40) + "..." + digits.substring(digits.length() - 20) + " (" + digits.length()
        + " digits; --full prints them all)";
  }
}
