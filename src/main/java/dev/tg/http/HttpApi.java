package dev.tg.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.handleExceptions;
import static org.apache.pekko.http.javadsl.server.Directives.handleRejections;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.optionalHeaderValueByName;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tg.chat.Audits;
import dev.tg.scheduler.Priority;
import dev.tg.status.Status;
import dev.tg.status.SyncStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP API (docs/http-api.md), answered by asking the account actors. Every error is JSON with an
 * {@code error} field; no stack trace leaves the node.
 */
public final class HttpApi {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
  private static final int MAX_AUDIT_REQUESTS = 100_000;

  private static final ContentType.NonBinary PROMETHEUS_TEXT =
      (ContentType.NonBinary) ContentTypes.parse("text/plain; version=0.0.4; charset=utf-8");

  private final Map<String, AccountQueries> accounts;
  private final Instant startedAt;
  private final String token;
  private final Supplier<String> metrics;
  private final Supplier<List<SyncStatus.ClusterMember>> clusterMembers;
  private final ArchiveRoutes archive;

  /**
   * {@code token} null means loopback only, no token asked; {@code metrics} writes the Prometheus text;
   * {@code clusterMembers} gives null on a node that is no cluster member.
   */
  public HttpApi(Map<String, AccountQueries> accounts, Instant startedAt, String token, Supplier<String> metrics,
      Supplier<List<SyncStatus.ClusterMember>> clusterMembers) {
    this.accounts = accounts;
    this.startedAt = startedAt;
    this.token = token;
    this.metrics = metrics;
    this.clusterMembers = clusterMembers;
    this.archive = new ArchiveRoutes(accounts);
  }

  public Route routes() {
    // /health answers without the token: it tells a probe the node is up, nothing more; the page's files hold no data
    return handleExceptions(exceptions(), () -> handleRejections(rejections(), () -> concat(
        path("health", () -> get(() -> json(StatusCodes.OK, Map.of("status", "ok")))),
        WebPage.routes(),
        authorized(() -> concat(
        path("metrics", () -> get(() -> complete(HttpResponse.create()
            .withEntity(HttpEntities.create(PROMETHEUS_TEXT, metrics.get()))))),
        path("search", () -> get(archive::search)),
        pathPrefix("messages", () -> pathPrefix(segment(), chatText -> withChatId(chatText, chatId ->
            pathPrefix(segment(), messageText -> withId("message", messageText, messageId ->
                path("versions", () -> get(() -> archive.versions(chatId, messageId)))))))),
        path("status", () -> get(() -> parameterOptional("account", account -> withAccounts(account, selected ->
            onSuccess(status(selected), status -> json(StatusCodes.OK, status)))))),
        path("contacts", () -> get(() -> parameterOptional("account", account -> withAccounts(account, selected ->
            onSuccess(allContacts(selected), list -> json(StatusCodes.OK, list)))))),
        pathPrefix("chats", () -> concat(
            pathEnd(() -> get(() -> chats())),
            pathPrefix(segment(), idText -> withChatId(idText, chatId -> concat(
                pathEnd(() -> get(() -> chat(chatId))),
                path("messages", () -> get(() -> archive.messages(chatId))),
                path("sync", () -> post(() -> sync(chatId))),
                path("media", () -> post(() -> fetchMedia(chatId))),
                path("audit", () -> concat(post(() -> startAudit(chatId)), get(() -> audit(chatId))))))))))))));
  }

  private Route authorized(Supplier<Route> inner) {
    if (token == null) {
      return inner.get();
    }
    byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    return optionalHeaderValueByName("Authorization", header ->
        header.filter(value -> MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), expected)).isPresent()
            ? inner.get()
            : complete(response(StatusCodes.UNAUTHORIZED, Map.of("error", "missing or wrong bearer token "
                    + "(send Authorization: Bearer <token>; the token is tg.http.token or <data-dir>/http-token)"))
                .addHeader(HttpHeader.parse("WWW-Authenticate", "Bearer realm=\"tg\""))));
  }

  private Route withAccounts(Optional<String> account, Function<Map<String, AccountQueries>, Route> inner) {
    return withAccounts(accounts, account, inner);
  }

  /** All accounts, or the one {@code ?account=} names ({@code 404} when none has that name). */
  static Route withAccounts(Map<String, AccountQueries> accounts, Optional<String> account,
      Function<Map<String, AccountQueries>, Route> inner) {
    if (account.isEmpty()) {
      return inner.apply(accounts);
    }
    AccountQueries selected = accounts.get(account.get());
    return selected == null
        ? error(StatusCodes.NOT_FOUND, "unknown account " + account.get())
        : inner.apply(Map.of(account.get(), selected));
  }

  private static Route withChatId(String text, Function<Long, Route> inner) {
    return withId("chat", text, inner);
  }

  /** A 64-bit id from the path, or {@code 400} naming what it should have been. */
  static Route withId(String what, String text, Function<Long, Route> inner) {
    long id;
    try {
      id = Long.parseLong(text);
    } catch (NumberFormatException e) {
      return error(StatusCodes.BAD_REQUEST, "malformed " + what + " id: " + text);
    }
    return inner.apply(id);
  }

  private CompletionStage<SyncStatus> status(Map<String, AccountQueries> selected) {
    return all(selected, (name, account) -> account.status())
        .thenApply(statuses -> SyncStatus.of(startedAt, statuses, clusterMembers.get()));
  }

  private CompletionStage<List<Map<String, Object>>> allContacts(Map<String, AccountQueries> selected) {
    return all(selected, (name, account) -> account.contacts())
        .thenApply(lists -> lists.stream().flatMap(List::stream).toList());
  }

  private Route chats() {
    return parameterOptional("account", account -> parameterOptional("priority", priority ->
        parameterOptional("state", state -> withAccounts(account, selected -> {
          Optional<Priority> tier;
          try {
            tier = priority.map(p -> Priority.valueOf(p.toUpperCase()));
          } catch (IllegalArgumentException e) {
            return error(StatusCodes.BAD_REQUEST, "unknown priority " + priority.get() + " (P0..P4)");
          }
          if (state.isPresent() && !Status.STATES.contains(state.get())) {
            return error(StatusCodes.BAD_REQUEST, "unknown state " + state.get() + " (one of " + Status.STATES + ")");
          }
          Status.ChatFilter filter = new Status.ChatFilter(tier.orElse(null), state.orElse(null));
          CompletionStage<List<Status.ChatView>> views = all(selected, (name, queries) -> queries.chats(filter))
              .thenApply(lists -> lists.stream().flatMap(List::stream).toList());
          return onSuccess(views, list -> json(StatusCodes.OK, list));
        }))));
  }

  private Route chat(long chatId) {
    return parameterOptional("account", account -> withAccounts(account, selected -> {
      CompletionStage<List<Optional<Status.ChatView>>> found = all(selected, (name, queries) ->
          queries.chat(chatId));
      return onSuccess(found, views -> views.stream().flatMap(Optional::stream).findFirst()
          .<Route>map(view -> json(StatusCodes.OK, view))
          .orElseGet(() -> error(StatusCodes.NOT_FOUND, "unknown chat " + chatId)));
    }));
  }

  private Route sync(long chatId) {
    return withOwner(chatId, owner -> onSuccess(owner.sync(chatId), reply -> reply.isSuccess()
        ? json(StatusCodes.ACCEPTED, reply.getValue())
        : error(StatusCodes.CONFLICT, reply.getError().getMessage())));
  }

  /** {@code POST /chats/{id}/media}: every file of the chat, whatever the media policy. */
  private Route fetchMedia(long chatId) {
    return withOwner(chatId, owner -> onSuccess(owner.fetchMedia(chatId), reply -> reply.isSuccess()
        ? json(StatusCodes.ACCEPTED, Map.of("chat_id", chatId, "media", "every file"))
        : error(StatusCodes.CONFLICT, reply.getError().getMessage())));
  }

  /** {@code POST /chats/{id}/audit?max_requests=N}: queues an audit of the chat against Telegram. */
  private Route startAudit(long chatId) {
    return parameterOptional("max_requests", text -> {
      int maxRequests;
      try {
        maxRequests = text.map(Integer::parseInt).orElse(Audits.DEFAULT_MAX_REQUESTS);
      } catch (NumberFormatException e) {
        maxRequests = 0;
      }
      if (maxRequests < 1 || maxRequests > MAX_AUDIT_REQUESTS) {
        return error(StatusCodes.BAD_REQUEST, "max_requests must be a number from 1 to " + MAX_AUDIT_REQUESTS);
      }
      int budget = maxRequests;
      return withOwner(chatId, owner -> onSuccess(owner.startAudit(chatId, budget), report -> report
          .<Route>map(found -> json(StatusCodes.ACCEPTED, found))
          .orElseGet(() -> error(StatusCodes.NOT_FOUND, "unknown chat " + chatId))));
    });
  }

  private Route audit(long chatId) {
    return withOwner(chatId, owner -> onSuccess(owner.audit(chatId), report -> report
        .<Route>map(found -> json(StatusCodes.OK, found))
        .orElseGet(() -> error(StatusCodes.NOT_FOUND, "no audit of chat " + chatId + " yet (POST /chats/"
            + chatId + "/audit asks for one)"))));
  }

  /** The account that knows the chat; 404 when none does. */
  private Route withOwner(long chatId, Function<AccountQueries, Route> inner) {
    return parameterOptional("account", account -> withAccounts(account, selected -> {
      CompletionStage<Optional<String>> owner = all(selected, (name, queries) ->
          queries.chat(chatId).thenApply(view -> view.map(v -> name)))
          .thenApply(names -> names.stream().flatMap(Optional::stream).findFirst());
      return onSuccess(owner, name -> name
          .map(found -> inner.apply(selected.get(found)))
          .orElseGet(() -> error(StatusCodes.NOT_FOUND, "unknown chat " + chatId)));
    }));
  }

  interface PerAccount<T> {
    CompletionStage<T> ask(String name, AccountQueries account);
  }

  static <T> CompletionStage<List<T>> all(Map<String, AccountQueries> selected,
      PerAccount<T> query) {
    List<CompletableFuture<T>> answers = new ArrayList<>();
    selected.forEach((name, account) -> answers.add(query.ask(name, account).toCompletableFuture()));
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .thenApply(done -> answers.stream().map(CompletableFuture::join).toList());
  }

  static Route json(StatusCode status, Object body) {
    return complete(response(status, body));
  }

  static Route error(StatusCode status, String message) {
    return json(status, Map.of("error", message));
  }

  static HttpResponse response(StatusCode status, Object body) {
    try {
      return HttpResponse.create()
          .withStatus(status)
          .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, HttpJson.MAPPER.writeValueAsString(body)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder()
        .matchAny(failure -> {
          if (timedOut(failure)) {
            log.warn("an account did not answer in time: {}", failure.getMessage());
            return complete(response(StatusCodes.SERVICE_UNAVAILABLE,
                Map.of("error", "the node did not answer in time; try again")));
          }
          log.error("request failed", failure);
          return complete(response(StatusCodes.INTERNAL_SERVER_ERROR, Map.of("error", "internal error")));
        })
        .build();
  }

  private static boolean timedOut(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** Pekko's own rejections (unknown path, wrong method, ...) with their status, as JSON. */
  private static RejectionHandler rejections() {
    return RejectionHandler.defaultHandler().mapRejectionResponse(response -> {
      if (response.entity().getContentType().equals(ContentTypes.APPLICATION_JSON)) {
        return response;
      }
      String text = response.entity() instanceof org.apache.pekko.http.javadsl.model.HttpEntity.Strict strict
          ? strict.getData().utf8String()
          : response.status().reason();
      return response(response.status(), Map.of("error", text));
    });
  }
}
