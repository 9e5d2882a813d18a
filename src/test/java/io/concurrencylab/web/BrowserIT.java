package io.concurrencylab.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.concurrencylab.app.ServeApp;
import io.concurrencylab.cluster.ClusterSettings;
import io.concurrencylab.testing.LabProcess;
import io.concurrencylab.config.LabConfig;
import io.vertx.core.Vertx;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page in real headless Chromium (Debian's chromium + chromium-driver, no downloads), against the app
 * running in this JVM: the list moves by itself (Server-Sent Events), the form adds a number, the batch shows ten
 * factorials; members join live and a real sweep shows its progress, table and chart. Saves
 * {@code target/screenshots/status-page.png} and {@code status-page-sweep.png}.
 *
 * <p>Without a browser the test is skipped with a message, unless {@code CI=true}: then it fails.
 */
class BrowserIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Path TARGET = Path.of("target").toAbsolutePath();

  /** What a test does with the page, given the app's Vert.x and configuration. */
  private interface PageTest {
    void run(WebDriver driver, WebDriverWait wait, Vertx vertx, LabConfig config) throws Exception;
  }

  @Test
  void theStatusPageIsLiveAndDrivesTheApi() throws Exception {
    withPage("status-page.png", false, BrowserIT::liveListFormBatchAnd503s);
  }

  /**
   * The cluster and squares parts of the page against the real thing: the app in this JVM is a member of a cluster
   * of its own, a real `lab node` process joins it, and a sweep of size 1 over 1..10 launches a real node process.
   */
  @Test
  void membersJoinLiveAndASweepShowsProgressThenItsTableChartAndHistory() throws Exception {
    withPage("status-page-sweep.png", true, BrowserIT::sweepAndMembers);
  }

  /**
   * Cancel and Q6 in the page, against real node processes: a sweep cancelled with the page's button (Start is off
   * while it goes, on this page and on one opened during the run), its nodes gone and the run kept as cancelled;
   * then a sweep with failAt whose node throws, its exception, process, thread and stack in the failures panel.
   */
  @Test
  void aSweepIsCancelledFromThePageAndAForcedFailureShowsTheNodesStack() throws Exception {
    withPage("status-page-failure.png", false, BrowserIT::cancelAndFailure);
  }

  private static void cancelAndFailure(WebDriver driver, WebDriverWait wait, Vertx vertx, LabConfig config)
      throws Exception {
    // Two million chunks of five: size 1 computes for some 40 s here (one node answers about 50,000 chunks a
    // second), so the cancel below lands in its compute and not in the gap between two sizes, where a run stops
    // with no size cut short. With 10,000 chunks a size took 2 s, and one CI run's cancel fell in that gap.
    fill(driver, Map.of("sq-sizes", "1,1", "sq-to", "10000000", "sq-chunk", "5"));
    driver.findElement(By.id("sq-start")).click();
    new WebDriverWait(driver, Duration.ofSeconds(60), Duration.ofMillis(20)).until(ExpectedConditions.textMatches(
        By.id("squares-progress-text"), Pattern.compile("size 1 of 2: 1 node · compute · \\d+/2000000 chunks")));
    String run = text(driver, "squares-result").replaceAll("^run (\\S+) started$", "$1");
    assertThat(driver.findElement(By.id("sq-start")).isEnabled()).as("one sweep at a time").isFalse();
    assertThat(driver.findElement(By.id("sq-cancel")).isEnabled()).isTrue();

    // another page opened while it goes: Start is off there too
    String first = driver.getWindowHandle();
    String url = driver.getCurrentUrl();
    driver.switchTo().newWindow(org.openqa.selenium.WindowType.TAB).get(url);
    wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));
    wait.until(d -> !d.findElement(By.id("sq-start")).isEnabled());
    driver.close();
    driver.switchTo().window(first);

    driver.findElement(By.id("sq-cancel")).click();
    new WebDriverWait(driver, Duration.ofSeconds(60), Duration.ofMillis(50)).until(ExpectedConditions.textMatches(
        By.id("squares-result"), Pattern.compile("run " + run + " cancelled: cancelled \\(on request from page-")));
    assertThat(io.concurrencylab.testing.Processes.labNodes(run)).as("no node left once cancelled").isEmpty();
    // the size it was in, and no other: size 2 never began
    assertThat(driver.findElements(By.cssSelector("#squares-table tbody tr"))).hasSize(1);
    assertThat(driver.findElements(By.cssSelector("#squares-table tbody tr.stopped"))).hasSize(1);
    assertThat(driver.findElements(By.cssSelector("#squares-timeline rect.span"))).as("the chunks it computed").isNotEmpty();
    assertThat(text(driver, "squares-table")).contains("stopped in compute");
    assertThat(driver.findElement(By.cssSelector("#squares-history li")).getAttribute("class")).contains("cancelled");
    assertThat(driver.findElement(By.id("sq-start")).isEnabled()).isTrue();

    // Q6 on purpose: the chunk holding 57 throws on its node
    fill(driver, Map.of("sq-to", "100", "sq-chunk", "10", "sq-fail-at", "57"));
    driver.findElement(By.id("sq-start")).click();
    new WebDriverWait(driver, Duration.ofSeconds(90), Duration.ofMillis(50)).until(ExpectedConditions.textMatches(
        By.id("squares-result"), Pattern.compile("run \\S+ failed: a task failed on a node: ForcedFailure")));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("squares-failures")));
    assertThat(driver.findElement(By.cssSelector("#squares-failure-list .what")).getText())
        .isEqualTo("io.concurrencylab.squares.ForcedFailure: square(57) failed on purpose: the run asked for failAt=57");
    assertThat(driver.findElement(By.cssSelector("#squares-failure-list .where")).getText())
        .matches("size 1 · chunk 51\\.\\.60 · node pid \\d+ at \\S+ · thread vert\\.x-eventloop-thread-\\d+");
    assertThat(driver.findElement(By.cssSelector("#squares-failure-list pre.stack")).getText())
        .contains("at io.concurrencylab.squares.SquaresNodeVerticle.failAt(");

    // a run another process appends to the history (as lab squares does) appears without a reload
    var request = io.concurrencylab.bus.SquaresMessages.RunRequest.validated(List.of(3), 1, 10, null, 8, 100);
    new io.concurrencylab.squares.RunHistory(config.dataDir()).append(new io.concurrencylab.bus.SquaresMessages.RunRecord(
        "20261129-000000-c1i0", "2026-11-29T00:00:00Z", "2026-11-29T00:00:03Z", request, true, null, List.of(),
        io.concurrencylab.squares.Sweep.results(new long[] {1, 4, 9, 16, 25, 36, 49, 64, 81, 100}, 1),
        io.concurrencylab.squares.Sweep.machine()));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("squares-history"), "20261129-000000-c1i0"));
  }

  /** The Q1 panel: a comparison started and cancelled, then one run to its end: progress, chart, table. */
  @Test
  void theComparisonPanelRunsOneShowsItsProgressAndDrawsItsChart() throws Exception {
    withPage("status-page-compare.png", false, BrowserIT::comparison);
  }

  /**
   * What a careless user meets: the server's own validation error in the form, the whole list on request, the
   * wiretap without the actors' traffic and with this user's own requests kept apart, and a page that says so when
   * serve goes away instead of showing frozen data as live.
   */
  @Test
  void theServerSaysWhatIsWrongTheListShowsAllAndAGoneServeIsShownAsGone() throws Exception {
    withPage("status-page-careless.png", false, BrowserIT::carelessUser);
  }

  private static void carelessUser(WebDriver driver, WebDriverWait wait, Vertx vertx, LabConfig config)
      throws Exception {
    WebElement n = driver.findElement(By.id("fact-n"));
    n.clear();
    n.sendKeys("-3");
    driver.findElement(By.cssSelector("#fact-form button[type=submit]")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("fact-single"), "400 n must be 0 or more"));

    driver.findElement(By.id("tap-hide-actors")).click();
    WebElement value = driver.findElement(By.id("add-value"));
    value.sendKeys("4242");
    driver.findElement(By.cssSelector("#add-form button[type=submit]")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("tap-mine"), "reply lab.list.add"));
    assertThat(driver.findElement(By.id("tap-mine")).getText()).contains("request lab.list.add {\"value\":4242}");
    // past 2^53 a JavaScript number would round it (to ...992): the digits go as typed
    value.sendKeys("9007199254740993");
    driver.findElement(By.cssSelector("#add-form button[type=submit]")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("tap-mine"),
        "request lab.list.add {\"value\":9007199254740993}"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("list-result"), "added 9007199254740993"));
    List<WebElement> rows = driver.findElements(By.cssSelector("#tap tbody tr"));
    assertThat(rows).isNotEmpty().noneMatch(r -> "from producer".equals(r.getAttribute("title"))
        || "from consumer".equals(r.getAttribute("title")));

    for (int i = 0; i < 200; i++) { // more than the page shows at first
      vertx.eventBus().request(io.concurrencylab.bus.Addresses.LIST_ADD, 10_000 + i).await();
    }
    // The list redraws as the producer and consumer act: find and click the button in one step inside the page (a
    // click from here could land on a button already replaced).
    new WebDriverWait(driver, Duration.ofSeconds(15), Duration.ofMillis(50))
        .withMessage(() -> "no \"show all\" button; list size shown: " + text(driver, "list-size"))
        .until(d -> Boolean.TRUE.equals(((org.openqa.selenium.JavascriptExecutor) d).executeScript(
            "const b = document.getElementById('list-more'); if (!b) return false; b.click(); return true;")));
    wait.until(d -> d.findElements(By.cssSelector("#list-items .chip:not(.more)")).size() > 200);

    vertx.close().await(); // serve is gone
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("offline")));
    assertThat(driver.findElement(By.id("offline")).getText()).startsWith("Disconnected from serve since");
    assertThat(driver.findElement(By.tagName("body")).getAttribute("class")).contains("offline");
  }

  /**
   * Starts the app in this JVM (port 0) and Chromium on its page, runs {@code test}, saves the screenshot, and
   * stops everything, checking that no Chromium process of this test's profile is left.
   */
  private static void withPage(String screenshot, boolean clustered, PageTest test) throws Exception {
    requireBrowser();
    // A fast producer and a slower consumer: the list changes several times a second and grows, so a number
    // added through the form stays on screen long enough to be seen.
    LabConfig config = LabConfig.defaults().with("http.port", 0).with("bridge.port", 0)
        .with("list.producerMinMs", 100).with("list.producerMaxMs", 200)
        .with("list.consumerMinMs", 300).with("list.consumerMaxMs", 500)
        .with("cluster.name", "it-browser-" + System.nanoTime()).with("cluster.port", 5931)
        .with("data.dir", TARGET.resolve("browser-it").resolve("data-" + System.nanoTime()).toString()); // not /tmp: mvn clean takes it
    ClusterSettings.Clustered cluster = clustered
        ? new ClusterSettings(config.clusterName(), "127.0.0.1", config.clusterPort(), 10, false, "serve")
            .join(new io.vertx.core.VertxOptions()).await()
        : null;
    Vertx vertx = cluster != null ? cluster.vertx() : Vertx.vertx();
    Path profile = Files.createDirectories(TARGET.resolve("browser-it").resolve("profile-" + System.nanoTime()));
    Thread cleanup = new Thread(() -> destroy(chromiumProcesses(profile)));
    Runtime.getRuntime().addShutdownHook(cleanup); // if this JVM is stopped mid-test, Chromium must not outlive it
    ChromeDriverService service = null;
    WebDriver driver = null;
    try {
      int port = ServeApp.deploy(vertx, config, cluster == null ? null : cluster.manager()).await().httpPort();
      service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
          .withLogFile(profile.resolve("chromedriver.log").toFile())
          .withEnvironment(Map.of("HOME", profile.toString(), "XDG_CONFIG_HOME", profile.resolve("xdg-config").toString(),
              "XDG_CACHE_HOME", profile.resolve("xdg-cache").toString()))
          .build();
      driver = new ChromeDriver(service, options(profile));
      assertThat(chromiumProcesses(profile)).as("the leak check finds the running browser").isNotEmpty();

      driver.get("http://127.0.0.1:" + port + "/");
      WebDriverWait wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(50));
      wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));
      test.run(driver, wait, vertx, config);
      screenshot(driver, screenshot);
    } finally {
      if (driver != null) {
        driver.quit();
      }
      if (service != null) {
        service.stop();
      }
      vertx.close().await();
      List<ProcessHandle> left = awaitGone(profile, Duration.ofSeconds(20)); // a loaded machine is slow to end them
      destroy(left);
      Runtime.getRuntime().removeShutdownHook(cleanup);
      assertThat(left).as("Chromium processes of " + profile + " still running after quit").isEmpty();
    }
  }

  private static void sweepAndMembers(WebDriver driver, WebDriverWait wait, Vertx vertx, LabConfig config)
      throws Exception {
    // Members: this app, then a real node process joining, live.
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#cluster-members tbody tr"), 1));
    assertThat(text(driver, "cluster-members")).contains("serve");
    // over the nodes already in the cluster, while there is none: refused with the reason, nothing runs
    driver.findElement(By.id("sq-on-cluster")).click();
    assertThat(driver.findElement(By.id("sq-sizes")).isEnabled()).as("one size of every node: no sizes").isFalse();
    driver.findElement(By.id("sq-start")).click();
    wait.until(ExpectedConditions.textMatches(By.id("squares-result"),
        Pattern.compile("not started \\(409\\): no squares nodes in cluster")));
    driver.findElement(By.id("sq-on-cluster")).click();
    try (LabProcess node = LabProcess.start("node", "--cluster-name", config.clusterName(), "--port",
        Integer.toString(config.clusterPort()), "--port-count", "10")) {
      node.awaitLine(Pattern.compile("node ready: nodeId=(\\S+) pid="), Duration.ofSeconds(60));
      wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#cluster-members tbody tr"), 2));
      assertThat(text(driver, "cluster-log")).contains("joined").contains("(pid " + node.pid() + ", node) → 2 members");
      assertThat(text(driver, "cluster-state")).isEmpty();

      // A sweep of size 1 over 1..10: progress while it runs, then the table, the stacked chart and the history.
      WebElement sizes = driver.findElement(By.id("sq-sizes"));
      sizes.clear();
      sizes.sendKeys("1");
      driver.findElement(By.id("sq-start")).click();
      wait.until(ExpectedConditions.textMatches(By.id("squares-result"), Pattern.compile("run \\S+ started")));
      new WebDriverWait(driver, Duration.ofSeconds(60), Duration.ofMillis(20)).until(ExpectedConditions.textMatches(
          By.id("squares-progress-text"), Pattern.compile("size 1 of 1: 1 node · (launch|compute)")));

      new WebDriverWait(driver, Duration.ofSeconds(90), Duration.ofMillis(50))
          .until(ExpectedConditions.textMatches(By.id("squares-result"), Pattern.compile("run \\S+ done")));
      wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#squares-table tbody tr"), 1));
      assertThat(driver.findElement(By.id("squares-progress")).isDisplayed()).isFalse();
      assertThat(driver.findElements(By.cssSelector("#squares-chart rect"))).hasSize(3); // 1 size x 3 phases
      // the task stream: the one node's lane, its one chunk of 1..10
      assertThat(driver.findElements(By.cssSelector("#squares-timeline rect.span"))).hasSize(1);
      assertThat(driver.findElement(By.cssSelector("#squares-timeline rect.span title")).getAttribute("textContent"))
          .matches("pid \\d+: 1 chunk, 10 numbers from 1, .* ms");
      // and the node's life on the same axis: launched and ready before compute (0), teardown and exit after it
      for (String mark : List.of("launch", "ready", "teardown", "exit")) {
        assertThat(driver.findElements(By.cssSelector("#squares-timeline line.mark-" + mark))).as(mark).hasSize(1);
      }
      assertThat(driver.findElement(By.cssSelector("#squares-timeline rect.starting title")).getAttribute("textContent"))
          .matches("pid \\d+: launched at -[\\d,.]+ ms, ready at -[\\d,.]+ ms \\([\\d,.]+ ms\\)");
      assertThat(driver.findElement(By.cssSelector("#squares-timeline rect.teardown title")).getAttribute("textContent"))
          .matches("pid \\d+: teardown from [\\d,.]+ ms, exited at [\\d,.]+ ms");
      assertThat(driver.findElements(By.cssSelector("#squares-history li"))).hasSize(1);
      assertThat(text(driver, "run-title")).startsWith("Run ").contains("1..10");
      // units on every figure, the node's pid and peak RSS
      assertThat(text(driver, "squares-table")).containsPattern("\n1 [\\d,]+(\\.\\d)? ms [\\d,]+(\\.\\d)? ms .* 10 \\(pid \\d+, \\d+ MB\\)");

      nodesPanel(driver, wait, node.pid());

      // The node already in the cluster: a sweep over the cluster's nodes computes on it and leaves it running.
      driver.findElement(By.id("sq-on-cluster")).click();
      String before = text(driver, "squares-result");
      driver.findElement(By.id("sq-start")).click();
      // (a run of one chunk may end before "started" is seen: its end replaces it)
      wait.until(d -> !text(d, "squares-result").equals(before)
          && text(d, "squares-result").matches("run \\S+ (started|done)"));
      String onCluster = text(driver, "squares-result").replaceAll("^run (\\S+) (started|done)$", "$1");
      new WebDriverWait(driver, Duration.ofSeconds(60), Duration.ofMillis(50)).until(ExpectedConditions.textMatches(
          By.id("squares-result"), Pattern.compile("run " + onCluster + " done")));
      wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#squares-history li"), 2));
      assertThat(text(driver, "squares-table")).contains(" 10 (pid " + node.pid() + ", ");
      assertThat(node.handle().isAlive()).as("the cluster's node is left running").isTrue();
    }
  }

  /**
   * The nodes panel: the sweep's node was there (it reported itself through the sweep's coordinator) and is marked
   * gone; the `lab node` of this test is live with its own CPU and memory; a node added from the page appears, its
   * log link opens its timestamped log, and the page's Stop marks it gone, its process ended.
   */
  private static void nodesPanel(WebDriver driver, WebDriverWait wait, long memberPid) throws Exception {
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#nodes-table tr[data-state=gone] a.node-log")));
    assertThat(text(driver, "nodes-table")).contains("sweep").contains("stopped by its sweep");
    assertThat(rowText(wait, By.cssSelector("#nodes-table tr[data-pid='" + memberPid + "'][data-state=live]")))
        .containsPattern("127\\.0\\.0\\.1 node other live [\\d.]+ [\\d.]+ [\\d.]+ 0 ");

    fill(driver, Map.of("nodes-count", "9")); // over cluster.maxServeNodes: the server's own 409, and nothing launched
    driver.findElement(By.id("nodes-add")).click();
    wait.until(ExpectedConditions.textMatches(By.id("nodes-result"),
        Pattern.compile("a serve runs at most 4 nodes \\(cluster.maxServeNodes\\); 0 running, 9 asked for \\(409\\)")));
    fill(driver, Map.of("nodes-count", "1"));
    driver.findElement(By.id("nodes-add")).click();
    String pid = wait.until(ExpectedConditions.textMatches(By.id("nodes-result"), Pattern.compile("launched pid \\d+")))
        ? text(driver, "nodes-result").replaceAll("\\D+", " ").trim().split(" ")[0] : null;
    By added = By.cssSelector("#nodes-table tr[data-pid='" + pid + "']");
    new WebDriverWait(driver, Duration.ofSeconds(60), Duration.ofMillis(50)).until(
        ExpectedConditions.presenceOfElementLocated(By.cssSelector("#nodes-table tr[data-pid='" + pid + "'][data-state=live]")));
    assertThat(rowText(wait, added)).contains("this serve").containsPattern("live [\\d.]+ [\\d.]+ [\\d.]+");
    assertThat(ProcessHandle.of(Long.parseLong(pid))).as("the node added from the page runs").isPresent();
    screenshot(driver, "status-page-nodes.png");

    String page = driver.getWindowHandle();
    click(wait, added, By.cssSelector("a.node-log"));
    wait.until(d -> d.getWindowHandles().size() == 2);
    driver.switchTo().window(driver.getWindowHandles().stream().filter(h -> !h.equals(page)).findFirst().orElseThrow());
    wait.until(d -> d.findElement(By.tagName("body")).getText().contains("node ready: nodeId="));
    List<String> lines = driver.findElement(By.tagName("body")).getText().lines().toList();
    assertThat(lines).as("every line of the node's log is timestamped as serve's are").isNotEmpty()
        .allMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (INFO |WARN |ERROR) \\[[^]]+\\] \\S+ - .*")
            || l.startsWith("\tat ") || l.isBlank());
    driver.close();
    driver.switchTo().window(page);

    click(wait, added, By.cssSelector("button.node-stop"));
    wait.until(ExpectedConditions.textMatches(By.id("nodes-result"), Pattern.compile("(stopped|killed) pid " + pid)));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#nodes-table tr[data-pid='" + pid + "'][data-state=gone]")));
    assertThat(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  private static void comparison(WebDriver driver, WebDriverWait wait, Vertx vertx, LabConfig config) {
    wait.until(ExpectedConditions.textMatches(By.id("compare-empty"), Pattern.compile("No comparison yet")));
    // A long one (16 requests of 1 s, one after another, per run), cancelled while it runs: progress, then the end.
    fill(driver, Map.of("cmp-tasks", "16", "cmp-delay", "1000", "cmp-threads", "2", "cmp-nodes", "0", "cmp-runs", "1"));
    driver.findElement(By.id("cmp-start")).click();
    new WebDriverWait(driver, Duration.ofSeconds(60), Duration.ofMillis(20)).until(ExpectedConditions.textMatches(
        By.id("compare-progress-text"), Pattern.compile("step \\d+ of \\d+: I/O-bound · JVM · one thread")));
    assertThat(driver.findElement(By.id("cmp-start")).isEnabled()).as("one at a time").isFalse();
    driver.findElement(By.id("cmp-cancel")).click();
    try {
      new WebDriverWait(driver, Duration.ofSeconds(60), Duration.ofMillis(50)).until(ExpectedConditions.textMatches(
          By.id("compare-result"), Pattern.compile("comparison \\S+ cancelled")));
    } catch (org.openqa.selenium.TimeoutException e) { // where the comparison is stuck, for whoever reads the report
      Thread.getAllStackTraces().forEach((t, stack) -> {
        System.err.println("thread " + t.getName() + " " + t.getState());
        for (StackTraceElement frame : stack) {
          System.err.println("    at " + frame);
        }
      });
      throw e;
    }
    assertThat(driver.findElement(By.id("compare-progress")).isDisplayed()).isFalse();

    // A small one, to its end: both charts (a bar per way that ran, the JVM's beside Python's) and every row.
    fill(driver, Map.of("cmp-tasks", "2", "cmp-delay", "5", "cmp-runs", "1"));
    driver.findElement(By.id("cmp-start")).click();
    new WebDriverWait(driver, Duration.ofSeconds(120), Duration.ofMillis(50)).until(ExpectedConditions.textMatches(
        By.id("compare-result"), Pattern.compile("comparison \\S+ done")));
    boolean python = text(driver, "compare-setup").contains("CPython");
    assertThat(driver.findElements(By.cssSelector("#compare-chart-io rect.bar.jvm"))).hasSize(3);
    assertThat(driver.findElements(By.cssSelector("#compare-chart-cpu rect.bar.jvm"))).hasSize(3);
    assertThat(driver.findElements(By.cssSelector("#compare-chart-io rect.bar.python"))).hasSize(python ? 3 : 0);
    assertThat(driver.findElements(By.cssSelector("#compare-chart-cpu rect.bar.python"))).hasSize(python ? 2 : 0);
    assertThat(driver.findElements(By.cssSelector("#compare-table tbody tr"))).hasSize(11);
    assertThat(text(driver, "compare-table")).contains("2/2 equal").contains("one event loop, non-blocking I/O");
    assertThat(text(driver, "compare-probe")).startsWith("Event-loop probe");
    assertThat(driver.findElement(By.id("cmp-start")).isEnabled()).isTrue();
  }

  private static void fill(WebDriver driver, Map<String, String> values) {
    values.forEach((id, value) -> {
      WebElement input = driver.findElement(By.id(id));
      input.clear();
      input.sendKeys(value);
    });
  }

  private static void liveListFormBatchAnd503s(WebDriver driver, WebDriverWait wait, Vertx vertx, LabConfig config) {
    JavascriptExecutor js = (JavascriptExecutor) driver;

    // The list changes by itself: no click, no reload (the marker would be gone), only events.
    explained(driver, "no lab.list.changed event reached the page").until(d -> !text(d, "list-seq").equals("–"));
    js.executeScript("window.__noReload = true;");
    int events = Integer.parseInt(driver.findElement(By.tagName("body")).getAttribute("data-events"));
    String seq = text(driver, "list-seq");
    String items = text(driver, "list-items");
    explained(driver, "the displayed list did not change by itself (the page is not live)")
        .until(d -> !text(d, "list-seq").equals(seq) && !text(d, "list-items").equals(items));
    assertThat(js.executeScript("return window.__noReload === true;")).isEqualTo(true);
    assertThat(Integer.parseInt(driver.findElement(By.tagName("body")).getAttribute("data-events"))).isGreaterThan(events);
    assertThat(driver.findElements(By.cssSelector("#producer-log li"))).isNotEmpty();

    // Add a number through the form: the reply, the event in the producer's log (marked as ours), the list.
    driver.findElement(By.id("add-value")).sendKeys("987654");
    driver.findElement(By.cssSelector("#add-form button[type=submit]")).click();
    wait.until(ExpectedConditions.textMatches(By.id("list-result"), Pattern.compile("added 987654")));
    wait.until(ExpectedConditions.textMatches(By.id("producer-log"),
        Pattern.compile("added 987654 → size \\d+ \\(you\\)")));
    wait.until(d -> text(d, "list-items").contains("987654"));

    // The factorial batch: ten results, in completion order, each with its worker thread.
    driver.findElement(By.id("fact-batch")).click();
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#fact-results tbody tr"), 10));
    // seen in the wiretap now: it keeps its last rows only, and the list's actors keep adding theirs
    wait.until(d -> !d.findElements(By.cssSelector("#tap tbody tr[data-address='lab.factorial.compute']")).isEmpty());
    List<String> threads = new ArrayList<>();
    List<String> ns = new ArrayList<>();
    for (WebElement row : driver.findElements(By.cssSelector("#fact-results tbody tr"))) {
      List<WebElement> cells = row.findElements(By.tagName("td"));
      ns.add(cells.get(1).getText());
      threads.add(cells.get(4).getText());
    }
    assertThat(ns).containsExactlyInAnyOrder("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
    assertThat(threads).allMatch(t -> t.contains("worker"));
    assertThat(text(driver, "fact-summary")).startsWith("10 results");

    // This app is not clustered: the cluster panel says so instead of breaking.
    wait.until(ExpectedConditions.textMatches(By.id("cluster-state"), Pattern.compile("not available \\(503\\)")));

    // The wiretap shows the traffic on the public addresses.
    wait.until(d -> d.findElements(By.cssSelector("#tap tbody tr[data-address='lab.list.add']")).size() > 0);
    assertThat(text(driver, "tap")).contains("lab.list.changed");
  }

  /** The text of a row of a table the page redraws each second (a row found may be replaced before it is read). */
  private static String rowText(WebDriverWait wait, By row) {
    return wait.until(d -> {
      try {
        return d.findElement(row).getText();
      } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException e) {
        return null;
      }
    });
  }

  /** Clicks {@code what} in a row of a table the page redraws each second. */
  private static void click(WebDriverWait wait, By row, By what) {
    wait.until(d -> {
      try {
        d.findElement(row).findElement(what).click();
        return true;
      } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException e) {
        return false;
      }
    });
  }

  private static WebDriverWait explained(WebDriver driver, String message) {
    WebDriverWait wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(50));
    wait.withMessage(message);
    return wait;
  }

  private static String text(WebDriver driver, String id) {
    return driver.findElement(By.id(id)).getText();
  }

  /** The options the shared toolchain notes found to work offline, with a fresh profile under target/. */
  private static ChromeOptions options(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toString());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
        "--disable-extensions", "--no-first-run", "--no-default-browser-check", "--metrics-recording-only",
        "--password-store=basic", "--use-mock-keychain", "--window-size=1024,768",
        "--user-data-dir=" + profile.resolve("user-data"));
    return options;
  }

  /** The whole page: the window grows to the document's height first (1024 px wide, as a small laptop). */
  private static void screenshot(WebDriver driver, String name) throws IOException {
    long height = (Long) ((JavascriptExecutor) driver).executeScript(
        "return Math.ceil(document.documentElement.scrollHeight);");
    int chrome = driver.manage().window().getSize().height
        - ((Long) ((JavascriptExecutor) driver).executeScript("return window.innerHeight;")).intValue();
    driver.manage().window().setSize(new Dimension(1024, (int) Math.min(height + chrome, 3000)));
    File png = ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE);
    Path out = Files.createDirectories(TARGET.resolve("screenshots")).resolve(name);
    Files.copy(png.toPath(), out, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void requireBrowser() {
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
      return;
    }
    String why = "BrowserIT needs " + CHROMIUM + " and " + CHROMEDRIVER
        + " (Debian: apt-get install chromium chromium-driver)";
    if ("true".equals(System.getenv("CI"))) {
      fail(why + "; CI=true, so a missing browser fails the build");
    }
    Assumptions.abort(why + "; skipped");
  }

  /**
   * Processes started for this profile: the browser, its zygotes and crashpad handlers and chromedriver (its log is
   * in the profile) all carry the profile's path on their command line. Read from /proc, because
   * ProcessHandle.info() shows nothing for Chromium's non-dumpable children.
   */
  private static List<ProcessHandle> chromiumProcesses(Path profile) {
    String mark = profile.toString();
    List<ProcessHandle> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
        try {
          String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
          long pid = Long.parseLong(p.getFileName().toString());
          if (cmdline.contains(mark) && pid != ProcessHandle.current().pid()) {
            ProcessHandle.of(pid).ifPresent(found::add);
          }
        } catch (IOException | RuntimeException gone) {
          // the process ended while we looked
        }
      });
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
    return found;
  }

  /** Polls for up to {@code limit}: Chromium's crashpad and zygotes linger a second or two after quit. */
  private static List<ProcessHandle> awaitGone(Path profile, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    List<ProcessHandle> left = chromiumProcesses(profile);
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      left.get(0).onExit().completeOnTimeout(null, 200, java.util.concurrent.TimeUnit.MILLISECONDS).join();
      left = chromiumProcesses(profile);
    }
    return left;
  }

  private static void destroy(List<ProcessHandle> processes) {
    processes.forEach(ProcessHandle::destroy);
  }
}
