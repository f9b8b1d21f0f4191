package dev.tg.telegram;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A TDLib {@code error} object, classified into what the sync has to do about it. */
public class TdException extends RuntimeException {
  private static final Pattern RETRY_AFTER = Pattern.compile("retry after (\\d+)");

  private final int code;

  public TdException(int code, String message) {
    super(code + ": " + message);
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The message as TDLib sent it, without the code. */
  public String tdMessage() {
    String full = getMessage();
    return full.substring(full.indexOf(": ") + 2);
  }

  /** Whether sending the same request again later can succeed. */
  public boolean retryable() {
    return false;
  }

  /** The failure inside a stage's {@link CompletionException}, as callbacks of composed stages see it. */
  public static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }

  /** Turns TDLib's {@code error {code, message}} into the matching type. */
  public static TdException of(int code, String message) {
    if (code == 429) {
      Matcher retryAfter = RETRY_AFTER.matcher(message);
      return new FloodWait(message, retryAfter.find() ? Long.parseLong(retryAfter.group(1)) : 1);
    }
    if (code == 401) {
      return new Unauthorized(message);
    }
    if (code == 404 || message.equals("Chat not found")) {
      return new NotFound(code, message);
    }
    if (message.equals("CHANNEL_PRIVATE") || message.startsWith("Can't access the chat")) {
      return new NoAccess(code, message);
    }
    if (message.equals("Request aborted")) {
      return new Aborted(message);
    }
    if (code >= 500) {
      return new ServerError(code, message);
    }
    if (code == 400 && message.startsWith("Invalid value of parameter from_message_id")) {
      return new InvalidCursor(message);
    }
    return new TdException(code, message);
  }

  /** 429: the account must not send anything for {@link #retryAfter()}. */
  public static final class FloodWait extends TdException {
    private final long seconds;

    FloodWait(String message, long seconds) {
      super(429, message);
      this.seconds = seconds;
    }

    public Duration retryAfter() {
      return Duration.ofSeconds(seconds);
    }

    @Override
    public boolean retryable() {
      return true;
    }
  }

  /** The object does not exist (404), or the chat is unknown to this TDLib instance. */
  public static final class NotFound extends TdException {
    NotFound(int code, String message) {
      super(code, message);
    }

    /**
     * "Chat not found": this instance has no such chat in memory (nor in its message database, when it keeps one:
     * {@code MessagesManager::get_dialog_force}). It says nothing of the chat on Telegram.
     */
    public boolean chatUnknown() {
      return tdMessage().equals("Chat not found");
    }
  }

  /** The chat can no longer be read: left, banned, or a private channel. */
  public static final class NoAccess extends TdException {
    NoAccess(int code, String message) {
      super(code, message);
    }
  }

  /** 401: the client is not logged in. */
  public static final class Unauthorized extends TdException {
    Unauthorized(String message) {
      super(401, message);
    }
  }

  /** The client is closing or closed; the request was not carried out. */
  public static final class Aborted extends TdException {
    Aborted(String message) {
      super(500, message);
    }
  }

  /** A 5xx that TDLib gave up on; worth another try later. */
  public static final class ServerError extends TdException {
    ServerError(int code, String message) {
      super(code, message);
    }

    @Override
    public boolean retryable() {
      return true;
    }
  }

  /** {@code from_message_id} was rejected: the cursor it came from is bad. */
  public static final class InvalidCursor extends TdException {
    InvalidCursor(String message) {
      super(400, message);
    }
  }

  /** Our own deadline passed; TDLib may still answer later, and that answer is dropped. */
  public static final class Timeout extends TdException {
    public Timeout(String method, Duration after) {
      super(408, method + " got no answer within " + after.toMillis() + " ms");
    }

    @Override
    public boolean retryable() {
      return true;
    }
  }
}
