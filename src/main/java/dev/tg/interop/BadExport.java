package dev.tg.interop;

/** Something in an export that cannot be imported; the reader adds the file and the position. */
final class BadExport extends RuntimeException {
  BadExport(String message) {
    super(message);
  }
}
