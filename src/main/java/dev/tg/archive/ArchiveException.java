package dev.tg.archive;

/** The archive could not be read or written. */
public final class ArchiveException extends RuntimeException {
  public ArchiveException(String message, Throwable cause) {
    super(message, cause);
  }
}
