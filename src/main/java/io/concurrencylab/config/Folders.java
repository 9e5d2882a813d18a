package io.concurrencylab.config;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The folders a command writes to ({@code data.dir}, {@code cluster.runDir}), made before any work starts. */
public final class Folders {
  private Folders() {}

  /**
   * Makes {@code dir} (and its parents) unless it is there.
   *
   * @throws IllegalArgumentException one line naming the configuration key, the folder and why (exit 2): a folder
   *     that cannot be made is the user's to fix, not a failure halfway through a run
   */
  public static Path create(Path dir, String key) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot create " + key + " " + dir + ": " + why(e) + "; set " + key
          + " to a folder you can write");
    }
  }

  private static String why(IOException e) {
    if (e instanceof FileAlreadyExistsException) {
      return "a file is in the way";
    }
    if (e instanceof NoSuchFileException) {
      return "a folder above it is missing and cannot be made there";
    }
    return TextFiles.why(e); // permission denied, the system's reason, ...
  }
}
