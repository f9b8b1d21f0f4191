package dev.tg.media;

/**
 * The downloads' byte rate: a bucket that fills at {@code bytesPerSecond} up to one second's worth. A file takes its
 * size from the bucket when it starts; the bucket may go below zero for a file larger than a second's worth, and the
 * next file waits until it is back above zero, so over time no more than the rate is downloaded.
 */
final class ByteBudget {
  private final long bytesPerSecond;
  private double level;
  private long filledAtNanos;

  ByteBudget(long bytesPerSecond, long nowNanos) {
    this.bytesPerSecond = bytesPerSecond;
    this.level = bytesPerSecond;
    this.filledAtNanos = nowNanos;
  }

  /** How long until a file may start: zero when it may now. */
  long waitNanos(long nowNanos) {
    fill(nowNanos);
    return level > 0 ? 0 : (long) Math.ceil((1 - level) * 1e9 / bytesPerSecond);
  }

  void take(long bytes, long nowNanos) {
    fill(nowNanos);
    level -= bytes;
  }

  private void fill(long nowNanos) {
    level = Math.min(bytesPerSecond, level + (nowNanos - filledAtNanos) * (bytesPerSecond / 1e9));
    filledAtNanos = nowNanos;
  }
}
