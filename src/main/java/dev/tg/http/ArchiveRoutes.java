package dev.tg.http;

import static dev.tg.http.HttpApi.all;
import static dev.tg.http.HttpApi.error;
import static dev.tg.http.HttpApi.json;
import static dev.tg.http.HttpApi.withAccounts;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;

import dev.tg.archive.ArchiveReader.MessageRow;
import dev.tg.archive.MessagePages.Anchor;
import dev.tg.archive.MessagePages.MessagePage;
import dev.tg.archive.MessagePages.MessageVersion;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/** The archive's read routes, for the web page's chat view and search (docs/http-api.md). */
final class ArchiveRoutes {
  static final int DEFAULT_PAGE = 50;
  static final int MAX_PAGE = 500;
  static final int DEFAULT_HITS = 50;
  static final int MAX_HITS = 500;

  private final Map<String, AccountQueries> accounts;

  ArchiveRoutes(Map<String, AccountQueries> accounts) {
    this.accounts = accounts;
  }

  /** One account's page of a chat. */
  record ChatMessages(String account, long chatId, MessagePage page) {}

  /** {@code GET /chats/{id}/messages?before=|after=|around=ID&limit=N}: newest first unless anchored. */
  Route messages(long chatId) {
    return parameterOptional("account", account -> parameterOptional("before", before ->
        parameterOptional("after", after -> parameterOptional("around", around -> parameterOptional("limit", limit ->
            withAccounts(accounts, account, selected -> {
              List<Map.Entry<Anchor, Optional<String>>> anchors = List.of(Map.entry(Anchor.BEFORE, before),
                  Map.entry(Anchor.AFTER, after), Map.entry(Anchor.AROUND, around));
              List<Map.Entry<Anchor, Optional<String>>> given = anchors.stream()
                  .filter(anchor -> anchor.getValue().isPresent()).toList();
              if (given.size() > 1) {
                return error(StatusCodes.BAD_REQUEST, "give at most one of before, after and around");
              }
              Anchor anchor = given.isEmpty() ? Anchor.NEWEST : given.get(0).getKey();
              String idText = given.isEmpty() ? "0" : given.get(0).getValue().get();
              return HttpApi.withId("message", idText, messageId -> withLimit(limit, DEFAULT_PAGE, MAX_PAGE, size -> {
                CompletionStage<Optional<ChatMessages>> found = all(selected, (name, queries) ->
                    queries.messages(chatId, anchor, messageId, size)
                        .thenApply(page -> page.map(p -> new ChatMessages(name, chatId, p))))
                    .thenApply(pages -> pages.stream().flatMap(Optional::stream).findFirst());
                return onSuccess(found, page -> page.<Route>map(p -> json(StatusCodes.OK, p))
                    .orElseGet(() -> error(StatusCodes.NOT_FOUND, "unknown chat " + chatId)));
              }));
            }))))));
  }

  /** {@code GET /search?q=TEXT&limit=N}: newest first, over every account (or {@code ?account=}). */
  Route search() {
    return parameterOptional("account", account -> parameterOptional("q", q -> parameterOptional("limit", limit ->
        withAccounts(accounts, account, selected -> {
          String text = q.map(String::strip).orElse("");
          if (text.isEmpty()) {
            return error(StatusCodes.BAD_REQUEST, "give the text to search for as ?q=");
          }
          return withLimit(limit, DEFAULT_HITS, MAX_HITS, size -> {
            CompletionStage<List<MessageRow>> hits = all(selected, (name, queries) -> queries.search(text, size))
                .thenApply(lists -> lists.stream().flatMap(List::stream)
                    .sorted(Comparator.comparing(MessageRow::date).reversed()).limit(size).toList());
            return onSuccess(hits, list -> json(StatusCodes.OK, list));
          });
        }))));
  }

  /** {@code GET /messages/{chat}/{id}/versions}: the earlier versions of an edited message, oldest first. */
  Route versions(long chatId, long messageId) {
    return parameterOptional("account", account -> withAccounts(accounts, account, selected -> {
      CompletionStage<Optional<List<MessageVersion>>> found = all(selected, (name, queries) ->
          queries.versions(chatId, messageId))
          .thenApply(answers -> answers.stream().flatMap(Optional::stream).findFirst());
      return onSuccess(found, versions -> versions.<Route>map(list -> json(StatusCodes.OK, list))
          .orElseGet(() -> error(StatusCodes.NOT_FOUND, "unknown message " + messageId + " in chat " + chatId)));
    }));
  }

  private static Route withLimit(Optional<String> text, int fallback, int max, Function<Integer, Route> inner) {
    int limit;
    try {
      limit = text.map(Integer::parseInt).orElse(fallback);
    } catch (NumberFormatException e) {
      return error(StatusCodes.BAD_REQUEST, "malformed limit: " + text.get());
    }
    if (limit < 1 || limit > max) {
      return error(StatusCodes.BAD_REQUEST, "limit must be 1.." + max + ", not " + limit);
    }
    return inner.apply(limit);
  }
}
