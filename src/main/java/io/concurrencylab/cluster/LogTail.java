package io.concurrencylab.cluster;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The last bytes of a log file, bounded, starting at a whole line. Blocking. */
record LogTail(String text, long size, boolean truncated) {
  static LogTail read(Path file, int maxBytes) throws IOException {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long size = in.length();
      int length = (int) Math.min(size, maxBytes);
      byte[] bytes = new byte[length];
      in.seek(size - length);
      in.readFully(bytes);
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
