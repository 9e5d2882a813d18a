package io.concurrencylab.bus;

import java.util.List;

/**
 * Every event-bus address of the product, in one place. Requests are {@code lab.<capability>.<verb>}; published
 * events are past tense. A newcomer looking for the handler of an address searches for its constant name.
 *
 * <p>{@link #PUBLIC_REQUESTS} and {@link #PUBLIC_EVENTS} are the contract users may reach from outside (the CLI
 * bridge, the page); anything else is internal and the bridges refuse it.
 */
public final class Addresses {
  private Addresses() {}

  /** Request: add a value. Handled by {@code list.ListOwnerVerticle}. */
  public static final String LIST_ADD = "lab.list.add";
  /** Request: remove the head. Handled by {@code list.ListOwnerVerticle}. */
  public static final String LIST_REMOVE = "lab.list.remove";
  /** Request: items, size and totals. Handled by {@code list.ListOwnerVerticle}. */
  public static final String LIST_SNAPSHOT = "lab.list.snapshot";
  /** Published by {@code list.ListOwnerVerticle} after every add and remove (and every remove that found it empty). */
  public static final String LIST_CHANGED = "lab.list.changed";

  /** Request: n!. Handled by {@code factorial.FactorialWorkerVerticle} (worker threads). */
  public static final String FACTORIAL_COMPUTE = "lab.factorial.compute";

  /** Request: start a squares sweep. Handled by {@code squares} (later issue). */
  public static final String SQUARES_RUN = "lab.squares.run";
  /** Published while a squares sweep runs. */
  public static final String SQUARES_PROGRESS = "lab.squares.progress";
  /** Request: the cluster members. */
  public static final String CLUSTER_MEMBERS = "lab.cluster.members";
  /** Published when a member joins or leaves. */
  public static final String CLUSTER_CHANGED = "lab.cluster.changed";

  public static final List<String> PUBLIC_REQUESTS =
      List.of(LIST_ADD, LIST_REMOVE, LIST_SNAPSHOT, FACTORIAL_COMPUTE, SQUARES_RUN, CLUSTER_MEMBERS);
  public static final List<String> PUBLIC_EVENTS = List.of(LIST_CHANGED, SQUARES_PROGRESS, CLUSTER_CHANGED);

  public static boolean isPublic(String address) {
    return PUBLIC_REQUESTS.contains(address) || PUBLIC_EVENTS.contains(address);
  }
}
