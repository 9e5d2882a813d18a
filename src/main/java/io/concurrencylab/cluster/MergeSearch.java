package io.concurrencylab.cluster;

import com.hazelcast.config.TcpIpConfig;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Keeps Hazelcast's split-brain search short: after a member of the app's cluster has joined, its TCP-IP member list
 * holds only the ports of this host's range where something listens, beside the other hosts' join addresses.
 *
 * <p>Why: once a cluster has split (a member frozen past the heartbeat timeout, a host cut off), the oldest member of
 * each side asks every address of its member list that is not a member, one after another, whether a cluster is
 * there to merge with, and it waits a fixed 5 s for each connection that does not come
 * ({@code AbstractJoiner.SPLIT_BRAIN_CONN_TIMEOUT_MILLIS} in Hazelcast 5.3, no setting). With the 20 ports of
 * {@code cluster.portCount}, a serve frozen for 9 s came back after 15-90 s (the order of the ports asked decides),
 * most of it spent on the ports where nobody listens; now after ~5-10 s. Hazelcast reads the list again for every
 * search, so a list narrowed to the ports in use makes a search take one connection per other member.
 *
 * <p>This host's listening ports are read from {@code /proc/net/tcp} and {@code tcp6} (no connection is opened, so
 * no member logs a stranger), every {@link #PERIOD_MS} ms, on a worker thread. Where that cannot be read (another system, an IPv6
 * host), the list stays whole, as configured. A member that starts later joins with its own whole list, so nothing
 * is lost for the join itself.
 */
public final class MergeSearch {
  /** As often as Hazelcast searches (cluster.xml's hazelcast.merge.next.run.delay.seconds). */
  static final long PERIOD_MS = 5_000;
  /** /proc/net/tcp of a busy machine can be long; a table beyond this is not read (the whole list stays). */
  static final long MAX_BYTES = 16L * 1024 * 1024;
  private static final String LISTEN = "0A";

  private MergeSearch() {}

  /**
   * Narrows {@code tcp}'s members now and every {@link #PERIOD_MS} ms, for as long as {@code vertx} runs.
   *
   * @param others the other hosts' join addresses, always kept
   */
  static void keepNarrow(Vertx vertx, TcpIpConfig tcp, String host, int port, int portCount, List<String> others) {
    Runnable narrow = () -> vertx.executeBlocking(() -> {
      List<String> members = members(listening(host), host, port, portCount, others);
      if (!members.equals(tcp.getMembers())) { // rarely: setMembers empties the list for a moment before filling it
        tcp.setMembers(members);
      }
      return null;
    }, false);
    narrow.run();
    vertx.setPeriodic(PERIOD_MS, id -> narrow.run());
  }

  /**
   * The member list: {@code others}, then each port of [port, port + portCount) on {@code host} that listens; every
   * port of the range when {@code listening} is null (not known) or has none of the range (this member's own port is
   * there, so such a table is wrong).
   */
  static List<String> members(Set<Integer> listening, String host, int port, int portCount, List<String> others) {
    // this member listens in the range itself: a table that shows none there is not trusted
    boolean known = listening != null && listening.stream().anyMatch(p -> p >= port && p < port + portCount);
    List<String> members = new ArrayList<>(others);
    for (int p = port; p < port + portCount; p++) {
      if (!known || listening.contains(p)) {
        members.add(host + ":" + p);
      }
    }
    return members;
  }

  /**
   * The TCP ports listening on {@code host} (or on every address) in this machine's tables, or null when they cannot
   * be read or {@code host} is not an IPv4 address. Java listens on IPv6 sockets that take IPv4 too, so a member's
   * port is in {@code /proc/net/tcp6}, as {@code ::ffff:host}.
   */
  static Set<Integer> listening(String host) {
    Set<Integer> four = listening(Path.of("/proc/net/tcp"), host);
    Set<Integer> six = listening(Path.of("/proc/net/tcp6"), host);
    if (four == null && six == null) {
      return null;
    }
    Set<Integer> all = new HashSet<>(four == null ? Set.of() : four);
    all.addAll(six == null ? Set.of() : six);
    return all;
  }

  /** The same from one table ({@code /proc/net/tcp} or {@code tcp6}'s format), or null. */
  static Set<Integer> listening(Path table, String host) {
    Set<String> addresses;
    try {
      InetAddress address = InetAddress.getByName(host);
      if (!(address instanceof Inet4Address)) {
        return null;
      }
      // the tables print an address as 32-bit numbers in the machine's byte order
      boolean little = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;
      byte[] b = address.getAddress();
      String v4 = little ? String.format(Locale.ROOT, "%02X%02X%02X%02X", b[3], b[2], b[1], b[0])
          : String.format(Locale.ROOT, "%02X%02X%02X%02X", b[0], b[1], b[2], b[3]);
      addresses = Set.of(v4, "00000000", (little ? "0000000000000000FFFF0000" : "00000000000000000000FFFF") + v4,
          "0".repeat(32));
    } catch (IOException e) {
      return null;
    }
    Set<Integer> ports = new HashSet<>();
    long read = 0;
    try (java.io.BufferedReader lines = Files.newBufferedReader(table, StandardCharsets.US_ASCII)) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        read += line.length() + 1;
        if (read > MAX_BYTES) {
          return null;
        }
        String[] f = line.trim().split("\\s+"); // sl local_address rem_address st ...
        int colon = f.length < 4 ? -1 : f[1].indexOf(':');
        if (colon < 0 || !f[3].equals(LISTEN)) {
          continue; // not listening, or the header line
        }
        if (addresses.contains(f[1].substring(0, colon))) {
          ports.add(Integer.parseInt(f[1].substring(colon + 1), 16));
        }
      }
      return ports;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
