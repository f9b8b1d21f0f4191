package dev.tg.telegram;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@link TdJson} over the real TDLib: a JNA direct mapping of {@code libtdjson}'s four functions.
 *
 * <p>TDLib is one instance per process, so is this: {@link #load} binds the library once and returns the
 * same object afterwards (loading a different file later is an error). Strings cross the boundary as
 * UTF-8; what TDLib returns is copied into a Java string at once, since its buffer dies at the next
 * {@code td_receive} or {@code td_execute}.
 *
 * <p><b>Threads:</b> {@link #send} and {@link #createClientId} may be called from any thread;
 * {@link #receive} must be called from <b>one thread only</b> (one receiver loop for all clients), as
 * TDLib requires. {@link #execute} is for TDLib's synchronous methods only.
 *
 * <p>On load, TDLib's log verbosity is set (1, errors only, unless told otherwise) so its own log never
 * floods the node's console; {@link #redirectLogToFile} sends that log to a file instead.
 */
public final class NativeTdJson implements TdJson {

  /** TDLib's fatal errors and errors only. */
  public static final int DEFAULT_LOG_VERBOSITY = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  private static NativeTdJson instance;

  private final Path library;

  private NativeTdJson(Path library) {
    this.library = library;
  }

  /** Loads the library found by {@link TdlibLibrary#locate()} with log verbosity 1. */
  public static NativeTdJson load() {
    return load(TdlibLibrary.locate(), DEFAULT_LOG_VERBOSITY);
  }

  /** Loads {@code library} (the libtdjson file) with log verbosity 1. */
  public static NativeTdJson load(Path library) {
    return load(library, DEFAULT_LOG_VERBOSITY);
  }

  /**
   * Loads {@code library} (the libtdjson file) and sets TDLib's log verbosity.
   *
   * @throws IllegalStateException if another libtdjson file is already loaded in this process
   */
  public static synchronized NativeTdJson load(Path library, int logVerbosity) {
    Path file = library.toAbsolutePath().normalize();
    if (instance == null) {
      // direct mapping: the static natives of Functions are bound to this file, once per class loader
      Native.register(Functions.class, NativeLibrary.getInstance(file.toString()));
      instance = new NativeTdJson(file);
    } else if (!instance.library.equals(file)) {
      throw new IllegalStateException(
          "libtdjson is already loaded from " + instance.library + ", cannot load " + file);
    }
    instance.setLogVerbosityLevel(logVerbosity);
    return instance;
  }

  /** The libtdjson file this instance is bound to. */
  public Path library() {
    return library;
  }

  @Override
  public int createClientId() {
    return Functions.td_create_client_id();
  }

  @Override
  public void send(int clientId, String request) {
    Functions.td_send(clientId, utf8(request));
  }

  /**
   * Waits up to {@code timeoutSeconds} for the next response or update of any client; null on timeout.
   * Call it from <b>one thread only</b>.
   */
  @Override
  public String receive(double timeoutSeconds) {
    return copy(Functions.td_receive(timeoutSeconds));
  }

  @Override
  public String execute(String request) {
    return copy(Functions.td_execute(utf8(request)));
  }

  /** TDLib's version as it reports it, such as {@code 1.8.65}. */
  public String version() {
    JsonNode answer = executeChecked(JSON.createObjectNode().put("@type", "getOption").put("name", "version"));
    return answer.path("value").asText();
  }

  /** Sets TDLib's log verbosity: 0 fatal, 1 errors, 2 warnings, 3 info, 4 debug, 5 verbose. */
  public void setLogVerbosityLevel(int level) {
    executeChecked(
        JSON.createObjectNode().put("@type", "setLogVerbosityLevel").put("new_verbosity_level", level));
  }

  /**
   * Sends TDLib's own log to {@code file} (rotated by TDLib past {@code maxFileSizeBytes}) instead of
   * the process's stderr; stderr itself is left alone.
   */
  public void redirectLogToFile(Path file, long maxFileSizeBytes) {
    ObjectNode request = JSON.createObjectNode().put("@type", "setLogStream");
    request
        .putObject("log_stream")
        .put("@type", "logStreamFile")
        .put("path", file.toAbsolutePath().toString())
        .put("max_file_size", maxFileSizeBytes)
        .put("redirect_stderr", false);
    executeChecked(request);
  }

  /** Drops TDLib's own log altogether. */
  public void discardLog() {
    ObjectNode request = JSON.createObjectNode().put("@type", "setLogStream");
    request.putObject("log_stream").put("@type", "logStreamEmpty");
    executeChecked(request);
  }

  private JsonNode executeChecked(ObjectNode request) {
    String answer = execute(request.toString());
    try {
      JsonNode node = answer == null ? null : JSON.readTree(answer);
      if (node == null || "error".equals(node.path("@type").asText())) {
        throw new IllegalStateException("TDLib refused " + request + ": " + answer);
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("TDLib answered " + request + " with unreadable JSON: " + answer, e);
    }
  }

  private static byte[] utf8(String text) {
    return Native.toByteArray(text, StandardCharsets.UTF_8);
  }

  private static String copy(Pointer text) {
    return text == null ? null : text.getString(0, StandardCharsets.UTF_8.name());
  }

  /** The C functions of {@code td_json_client.h}; strings are NUL-terminated UTF-8. */
  private static final class Functions {
    static native int td_create_client_id();

    static native void td_send(int clientId, byte[] request);

    static native Pointer td_receive(double timeout);

    static native Pointer td_execute(byte[] request);
  }
}
