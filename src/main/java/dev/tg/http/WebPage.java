package dev.tg.http;

import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResource;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResourceDirectory;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.pathSingleSlash;
import static org.apache.pekko.http.javadsl.server.Directives.respondWithHeaders;

import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The web page (docs/web.md): {@code GET /} and {@code /web/*}, static files from the jar. They hold no data: what
 * the page shows it reads from the API, with the bearer token off loopback. Nothing may load from elsewhere.
 */
final class WebPage {
  private static final List<HttpHeader> HEADERS = List.of(
      HttpHeader.parse("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; "
          + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
      HttpHeader.parse("X-Content-Type-Options", "nosniff"),
      HttpHeader.parse("Referrer-Policy", "no-referrer"),
      // a new jar's files are taken at once, without a stale copy
      HttpHeader.parse("Cache-Control", "no-cache"));

  private WebPage() {}

  static Route routes() {
    return respondWithHeaders(HEADERS, () -> get(() -> concat(
        pathSingleSlash(() -> getFromResource("web/index.html", ContentTypes.TEXT_HTML_UTF8)),
        pathPrefix("web", () -> getFromResourceDirectory("web")))));
  }
}
