package dev.tg.http;

import java.util.Map;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * Answers requests too malformed to reach the routes (bad request line, oversized headers, bad chunking) with
 * the API's JSON error body instead of Pekko's plain text. Set by {@code pekko.http.server.parsing.error-handler}.
 */
public final class JsonParsingErrors extends ParsingErrorHandler {

  @Override
  public HttpResponse handle(StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    log.debug("malformed request: {}", info.formatPretty());
    // the summary only: the detail may echo request bytes back
    String summary = info.summary().isEmpty() ? status.reason() : info.summary();
    return HttpApi.response(status, Map.of("error", summary));
  }
}
