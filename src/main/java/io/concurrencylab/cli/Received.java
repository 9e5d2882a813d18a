package io.concurrencylab.cli;

import io.vertx.core.json.JsonObject;

/** A message the bridge delivered to a tail: where it was published, its body and its headers (maybe empty). */
public record Received(String address, Object body, JsonObject headers) {}
