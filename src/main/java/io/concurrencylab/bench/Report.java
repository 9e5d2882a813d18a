package io.concurrencylab.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a benchmark reports: each figure printed as it is measured, beside its baseline from the same run and its
 * target, and kept, so {@code bench all} can also write the whole report as Markdown and JSON.
 */
final class Report {
  private final PrintStream out;
  private final Map<String, List<JsonObject>> sections = new LinkedHashMap<>();
  private String section = "";

  Report(PrintStream out) {
    this.out = out;
  }

  void title(String text) {
    section = text;
    sections.put(section, new ArrayList<>());
    out.println();
    out.println("== " + text + " ==");
  }

  void figure(String label, String value) {
    out.printf(Locale.ROOT, "  %-58s %s%n", label, value);
    sections.computeIfAbsent(section, s -> new ArrayList<>()).add(new JsonObject().put("figure", label).put("value", value));
  }

  void verdict(String what, boolean met, String target) {
    String value = (met ? "MET" : "NOT MET") + " (target " + target + ")";
    out.printf(Locale.ROOT, "  %-58s %s%n", what, value);
    sections.computeIfAbsent(section, s -> new ArrayList<>())
        .add(new JsonObject().put("figure", what).put("value", value).put("met", met));
  }

  JsonObject toJson(JsonObject machine) {
    JsonArray all = new JsonArray();
    sections.forEach((title, rows) -> all.add(new JsonObject().put("title", title).put("rows", new JsonArray(new ArrayList<>(rows)))));
    return new JsonObject().put("machine", machine).put("sections", all);
  }

  String toMarkdown(JsonObject machine, String date) {
    StringBuilder md = new StringBuilder("# concurrency-lab benchmarks\n\n");
    md.append("Run on ").append(date).append(": ").append(machine.getInteger("cores")).append(" cores, ")
        .append(machine.getString("jvm")).append(", ").append(machine.getString("os")).append(", Vert.x ")
        .append(machine.getString("vertx")).append(", Hazelcast ").append(machine.getString("hazelcast"))
        .append(". Each figure beside its baseline, measured in the same run.\n");
    sections.forEach((title, rows) -> {
      md.append("\n### ").append(title).append("\n\n| figure | value |\n|---|---|\n");
      rows.forEach(r -> md.append("| ").append(r.getString("figure")).append(" | ").append(r.getString("value"))
          .append(" |\n"));
    });
    return md.toString();
  }

  static String opsPerSecond(double ops) {
    return String.format(Locale.ROOT, "%,.0f ops/s", ops);
  }

  static String millis(double ms) {
    return String.format(Locale.ROOT, "%,.1f ms", ms);
  }

  /** For times: how the two compare, e.g. "this app 2.4x faster" or "the lesson 3.1x faster". */
  static String faster(double oursMs, double theirsMs) {
    return oursMs <= theirsMs ? String.format(Locale.ROOT, "this app %.1fx faster", theirsMs / oursMs)
        : String.format(Locale.ROOT, "the lesson %.1fx faster", oursMs / theirsMs);
  }

  static double median(double[] xs) {
    double[] copy = xs.clone();
    java.util.Arrays.sort(copy);
    return copy.length % 2 == 1 ? copy[copy.length / 2] : (copy[copy.length / 2 - 1] + copy[copy.length / 2]) / 2;
  }
}
