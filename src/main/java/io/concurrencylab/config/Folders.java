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
   * Makes {@code dir} (and its parents) unless it is there, and checks that a file can be made in it.
   *
   * @throws IllegalArgumentException one line naming the configuration key, the folder and why (exit 2): a folder
   *     that cannot be made is the user's to fix, not a failure halfway through a run
   */
  public static Path create(Path dir, String key) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot create " + key + " " + dir + ": " + why(e) + "; set " + key
          + " to a folder you can write");
    }
    try { // a folder that is there may still refuse files (read-only, another owner's): a file made and removed
      Files.delete(Files.createTempFile(dir, ".lab-write-check-", ".tmp"));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write in " + key + " " + dir + ": " + why(e) + "; set " + key
          + " to a folder you can write");
    }
    return dir;
  }

  private static String why(IOException e) {
    if (e instanceof FileAlreadyExistsException) {
      return "a file is in the way";
    }
    if (e instanceof NoSuchFileException) {
      return "it cannot be made there (a folder above it is missing, or takes no new folders)";
    }
    return TextFiles.why(e); // permission denied, the system's reason, ...
  }
}
