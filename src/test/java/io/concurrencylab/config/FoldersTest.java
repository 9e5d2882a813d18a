package io.concurrencylab.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder a command cannot make is one line naming its key, before any work (was a bare path, exit 1 or 3). */
class FoldersTest {
  @TempDir
  Path dir;

  @Test
  void aFolderIsMadeWithItsParents() {
    Path deep = dir.resolve("a/b/c");
    assertThat(Folders.create(deep, "data.dir")).isDirectory();
    assertThat(Folders.create(deep, "data.dir")).as("already there").isDirectory();
  }

  @Test
  void aFolderThatCannotBeMadeIsOneLineNamingTheKey() throws Exception {
    Path file = Files.writeString(dir.resolve("f"), "x");
    assertThatThrownBy(() -> Folders.create(file, "cluster.runDir")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot create cluster.runDir " + file + ": a file is in the way; set cluster.runDir to a "
            + "folder you can write");
    assertThatThrownBy(() -> Folders.create(file.resolve("under"), "data.dir"))
        .hasMessageStartingWith("cannot create data.dir " + file.resolve("under") + ": ")
        .hasMessageEndingWith("; set data.dir to a folder you can write")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThatThrownBy(() -> Folders.create(Path.of("/proc/lab-no-such/x"), "data.dir"))
        .hasMessageStartingWith("cannot create data.dir /proc/lab-no-such/x: ");
  }

  /** A folder that is there but takes no files (read-only: here /proc's own, which even root cannot write in). */
  @Test
  void aFolderThatTakesNoFilesIsRefusedToo() {
    assertThatThrownBy(() -> Folders.create(Path.of("/proc/self"), "data.dir"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("cannot write in data.dir /proc/self: ")
        .hasMessageEndingWith("; set data.dir to a folder you can write");
    assertThat(dir.toFile().list()).as("the check leaves nothing behind").isEmpty();
    Folders.create(dir, "data.dir");
    assertThat(dir.toFile().list()).isEmpty();
  }
}
