package dev.tg.node;

import dev.tg.archive.ArchiveReader;
import dev.tg.archive.ArchiveReader.MessageRow;
import dev.tg.archive.MessagePages.Anchor;
import dev.tg.archive.MessagePages.MessagePage;
import dev.tg.archive.MessagePages.MessageVersion;
import dev.tg.chat.AuditReport;
import dev.tg.chat.Audits;
import dev.tg.http.AccountQueries;
import dev.tg.media.MediaFiles;
import dev.tg.status.ChatProgress;
import dev.tg.status.Status;
import dev.tg.status.SyncStatus.AccountStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;

/**
 * The HTTP API's questions to one account, asked of its actor on this node or, {@code sharded}, of its entity
 * wherever in the cluster it runs; contacts and messages are read from this node's archive.
 */
record AccountAsks(String name, RecipientRef<Account.Command> account, boolean sharded, ActorSystem<?> system,
    ArchiveReader reader, Executor reads) implements AccountQueries {
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

  @Override
  public CompletionStage<AccountStatus> status() {
    CompletionStage<AccountStatus> status = AskPattern.ask(account, Account.GetStatus::new, ASK_TIMEOUT,
        system.scheduler());
    // an account being moved, or on a member not yet downed, must not keep the rest of the cluster from answering
    return sharded ? status.exceptionally(failure -> AccountStatus.notRunning(name,
        "not answering (being moved to another node, or its node is unreachable)")) : status;
  }

  @Override
  public CompletionStage<List<Status.ChatView>> chats(Status.ChatFilter filter) {
    CompletionStage<List<Status.ChatView>> views = AskPattern.<Account.Command, Status.ChatList>ask(account,
        replyTo -> new Account.GetChats(filter, replyTo), ASK_TIMEOUT, system.scheduler())
        .thenApply(Status.ChatList::chats);
    CompletionStage<Map<Long, Status.ChatMedia>> media = CompletableFuture.supplyAsync(
        () -> MediaFiles.byChat(reader, name), reads);
    return views.thenCombine(media, (list, files) -> list.stream()
        .map(view -> view.withMedia(files.get(view.progress().chatId()))).toList());
  }

  @Override
  public CompletionStage<Optional<Status.ChatView>> chat(long chatId) {
    CompletionStage<Optional<Status.ChatView>> view = AskPattern.<Account.Command, Status.FoundChat>ask(account,
        replyTo -> new Account.GetChat(chatId, replyTo), ASK_TIMEOUT, system.scheduler())
        .thenApply(Status.FoundChat::chat);
    return view.thenCompose(found -> found.isEmpty() ? CompletableFuture.completedFuture(found)
        : CompletableFuture.supplyAsync(() -> found.map(v -> v.withMedia(MediaFiles.ofChat(reader, name, chatId))),
            reads));
  }

  @Override
  public CompletionStage<StatusReply<ChatProgress>> sync(long chatId) {
    return AskPattern.ask(account, replyTo -> new Account.SyncChat(chatId, replyTo), ASK_TIMEOUT, system.scheduler());
  }

  @Override
  public CompletionStage<StatusReply<Done>> fetchMedia(long chatId) {
    return AskPattern.ask(account, replyTo -> new Account.FetchChatMedia(chatId, replyTo), ASK_TIMEOUT,
        system.scheduler());
  }

  @Override
  public CompletionStage<Optional<AuditReport>> startAudit(long chatId, int maxRequests) {
    return AskPattern.<Account.Command, Audits.FoundAudit>ask(account,
        replyTo -> new Account.AuditChat(chatId, maxRequests, replyTo), ASK_TIMEOUT, system.scheduler())
        .thenApply(Audits.FoundAudit::report);
  }

  @Override
  public CompletionStage<Optional<AuditReport>> audit(long chatId) {
    return AskPattern.<Account.Command, Audits.FoundAudit>ask(account,
        replyTo -> new Account.GetAudit(chatId, replyTo), ASK_TIMEOUT, system.scheduler())
        .thenApply(Audits.FoundAudit::report);
  }

  @Override
  public CompletionStage<List<Map<String, Object>>> contacts() {
    return CompletableFuture.supplyAsync(() -> reader.contacts(name), reads);
  }

  @Override
  public CompletionStage<Optional<MessagePage>> messages(long chatId, Anchor anchor, long messageId, int limit) {
    return CompletableFuture.supplyAsync(() -> reader.pages().knowsChat(name, chatId)
        ? Optional.of(reader.pages().page(name, reader.historyOf(name, chatId), anchor, messageId, limit))
        : Optional.empty(), reads);
  }

  @Override
  public CompletionStage<List<MessageRow>> search(String text, int limit) {
    return CompletableFuture.supplyAsync(() -> reader.search(text, name, null, limit), reads);
  }

  @Override
  public CompletionStage<Optional<List<MessageVersion>>> versions(long chatId, long messageId) {
    return CompletableFuture.supplyAsync(
        () -> reader.pages().versions(name, reader.historyOf(name, chatId), messageId), reads);
  }
}
