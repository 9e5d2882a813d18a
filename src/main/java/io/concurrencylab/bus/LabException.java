package io.concurrencylab.bus;

/** A failure with a contract code ({@link Failures}); cheap to throw (no stack trace), as it is about input, not bugs. */
public final class LabException extends RuntimeException {
  private final int code;

  public LabException(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static LabException badInput(String message) {
    return new LabException(Failures.BAD_INPUT, message);
  }
}
