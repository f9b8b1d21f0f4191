package dev.tg.node;

import dev.tg.archive.ArchiveReader;
import dev.tg.chat.AuditReport;
import dev.tg.http.AccountQueries;
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
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;

/** The HTTP API's questions to one account, asked of its actor; contacts are read from the archive. */
record AccountAsks(String name, ActorRef<Account.Command> account, ActorSystem<?> system, ArchiveReader reader,
    Executor reads) implements AccountQueries {
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

  @Override
  public CompletionStage<AccountStatus> status() {
    return AskPattern.ask(account, Account.GetStatus::new, ASK_TIMEOUT, system.scheduler());
  }

  @Override
  public CompletionStage<List<Status.ChatView>> chats(Status.ChatFilter filter) {
    return AskPattern.ask(account, replyTo -> new Account.GetChats(filter, replyTo), ASK_TIMEOUT, system.scheduler());
  }

  @Override
  public CompletionStage<Optional<Status.ChatView>> chat(long chatId) {
    return AskPattern.ask(account, replyTo -> new Account.GetChat(chatId, replyTo), ASK_TIMEOUT, system.scheduler());
  }

  @Override
  public CompletionStage<StatusReply<ChatProgress>> sync(long chatId) {
    return AskPattern.ask(account, replyTo -> new Account.SyncChat(chatId, replyTo), ASK_TIMEOUT, system.scheduler());
  }

  @Override
  public CompletionStage<Optional<AuditReport>> startAudit(long chatId, int maxRequests) {
    return AskPattern.ask(account, replyTo -> new Account.AuditChat(chatId, maxRequests, replyTo), ASK_TIMEOUT,
        system.scheduler());
  }

  @Override
  public CompletionStage<Optional<AuditReport>> audit(long chatId) {
    return AskPattern.ask(account, replyTo -> new Account.GetAudit(chatId, replyTo), ASK_TIMEOUT, system.scheduler());
  }

  @Override
  public CompletionStage<List<Map<String, Object>>> contacts() {
    return CompletableFuture.supplyAsync(() -> reader.contacts(name), reads);
  }
}
