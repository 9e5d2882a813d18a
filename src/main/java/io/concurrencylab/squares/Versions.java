package io.concurrencylab.squares;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Library versions, read from the libraries themselves (a shaded jar loses the per-package manifests). */
final class Versions {
  private Versions() {}

  static String vertx() {
    try (InputStream in = Versions.class.getResourceAsStream("/META-INF/vertx/vertx-version.txt")) {
      return in == null ? "unknown" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  static String hazelcast() {
    try {
      return com.hazelcast.instance.BuildInfoProvider.getBuildInfo().getVersion();
    } catch (RuntimeException | LinkageError e) {
      return "unknown";
    }
  }
}
