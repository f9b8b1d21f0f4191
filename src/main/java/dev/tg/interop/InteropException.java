package dev.tg.interop;

/** An export or import that cannot be done as asked; the message says why, naming the file and place. */
public final class InteropException extends RuntimeException {
  public InteropException(String message) {
    super(message);
  }

  public InteropException(String message, Throwable cause) {
    super(message, cause);
  }
}
