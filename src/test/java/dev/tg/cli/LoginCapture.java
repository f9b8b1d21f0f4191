package dev.tg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Everything a login could leak through: every log event at every level (a list appender on the root logger, with
 * the levels opened to ALL), and the process's stdout and stderr.
 */
final class LoginCapture implements AutoCloseable {
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private final Map<Logger, Level> levelsBefore = new HashMap<>();
  private final PrintStream stdoutBefore = System.out;
  private final PrintStream stderrBefore = System.err;
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  LoginCapture() {
    events.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.addAppender(events);
    for (Logger logger : context.getLoggerList()) {
      if (logger.getLevel() != null) {
        levelsBefore.put(logger, logger.getLevel());
        logger.setLevel(Level.ALL);
      }
    }
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
  }

  /** Every log line with its arguments and exceptions, then stdout and stderr. */
  String everything() {
    String logs = events.list.stream().map(LoginCapture::describe).collect(Collectors.joining("\n"));
    return logs + "\n" + stdout.toString(StandardCharsets.UTF_8) + "\n" + stderr.toString(StandardCharsets.UTF_8);
  }

  int logEvents() {
    return events.list.size();
  }

  /** Fails when any of {@code secrets} shows up in the logs, stdout, stderr or {@code outputs}. */
  void assertNoSecret(List<String> secrets, String... outputs) {
    String seen = everything() + "\n" + String.join("\n", outputs);
    for (String secret : secrets) {
      assertThat(seen).as("secret leaked").doesNotContain(secret);
    }
  }

  private static String describe(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage());
    if (event.getArgumentArray() != null) {
      line.append(' ').append(Arrays.deepToString(event.getArgumentArray()));
    }
    for (IThrowableProxy thrown = event.getThrowableProxy(); thrown != null; thrown = thrown.getCause()) {
      line.append(' ').append(thrown.getClassName()).append(": ").append(thrown.getMessage());
    }
    return line.toString();
  }

  @Override
  public void close() {
    System.setOut(stdoutBefore);
    System.setErr(stderrBefore);
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(events);
    levelsBefore.forEach(Logger::setLevel);
  }
}
