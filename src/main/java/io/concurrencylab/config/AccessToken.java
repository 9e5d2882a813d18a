package io.concurrencylab.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;

/**
 * The access token that guards {@code serve} once it listens beyond loopback: from the environment
 * ({@code LAB_AUTH_TOKEN}) or a file ({@code auth.tokenFile}), never from the command line, which shells keep in
 * their history and show in {@code ps}. Compared by digest ({@link #matches}), in time that does not depend on
 * where a wrong token first differs.
 */
public final class AccessToken {
  public static final String ENV = "LAB_AUTH_TOKEN";
  static final int MIN_LENGTH = 16;
  private final byte[] digest;

  private AccessToken(String token) {
    this.digest = sha256(token);
  }

  /**
   * The configured token, if any.
   *
   * @throws IllegalArgumentException (one readable line) for an unreadable file or a token shorter than 16 chars
   */
  public static Optional<AccessToken> load(LabConfig config, Map<String, String> env) {
    return read(config, env).map(AccessToken::new);
  }

  /** The token itself, for a client that must present it ({@code lab eb}); the same sources and rules. */
  /** A token is a line of text: a token file over this is not one (and is not read whole). */
  static final int MAX_FILE_BYTES = 4096;

  public static Optional<String> read(LabConfig config, Map<String, String> env) {
    String token = env.get(ENV);
    String source = "the environment variable " + ENV;
    if (token == null && !config.authTokenFile().isBlank()) {
      Path file = Path.of(config.authTokenFile());
      source = "auth.tokenFile " + file;
      try {
        token = TextFiles.read(file, MAX_FILE_BYTES);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read the access token from " + file + " (auth.tokenFile): "
            + TextFiles.why(e));
      }
    }
    if (token == null) {
      return Optional.empty();
    }
    token = token.strip();
    if (token.length() < MIN_LENGTH) {
      throw new IllegalArgumentException("the access token from " + source + " is too short: at least " + MIN_LENGTH
          + " characters (e.g. openssl rand -hex 24)");
    }
    return Optional.of(token);
  }

  /** Whether {@code presented} is the token. Both sides are digested first, so lengths leak nothing either. */
  public boolean matches(String presented) {
    return presented != null && MessageDigest.isEqual(digest, sha256(presented));
  }

  /** Whether {@code host} is a loopback address (or name): only there may serve listen without a token. */
  public static boolean loopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
