package io.concurrencylab.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/** The last bytes of a log file, bounded, starting at a whole line. Blocking. */
record LogTail(String text, long size, boolean truncated) {
  /**
   * @throws IOException when the file is gone, or is not a regular file with one name: a link, symbolic or hard (it
   *     could lead anywhere), or a FIFO (reading it would wait for a writer) is not a log
   */
  /** Whether the file has more than one name (a hard link); false where the file system does not say. */
  private static boolean otherNames(Path file) throws IOException {
    try {
      return ((Number) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue() > 1;
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  static LogTail read(Path file, int maxBytes) throws IOException {
    if (!Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isRegularFile()) {
      throw new IOException("not a regular file");
    }
    if (otherNames(file)) { // a log is made by its node's launch, with one name: another is a way to another file
      throw new IOException("a hard link");
    }
    try (SeekableByteChannel in = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      long size = in.size();
      int length = (int) Math.min(size, maxBytes);
      byte[] bytes = new byte[length];
      in.position(size - length);
      ByteBuffer into = ByteBuffer.wrap(bytes);
      while (into.hasRemaining() && in.read(into) >= 0) {
        // until the tail is read, or the file ends sooner (cut meanwhile)
      }
      length = into.position();
      int start = 0;
      if (length < size) { // cut: begin after the first newline, not in the middle of a line (or a character)
        while (start < length && bytes[start] != '\n') {
          start++;
        }
        start = Math.min(start + 1, length);
      }
      String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes, start, length - start))
          .toString();
      return new LogTail(text, size, length < size);
    }
  }
}
