package dev.tg.http;

import dev.tg.archive.ArchiveReader.MessageRow;
import dev.tg.archive.MessagePages.Anchor;
import dev.tg.archive.MessagePages.MessagePage;
import dev.tg.archive.MessagePages.MessageVersion;
import dev.tg.chat.AuditReport;
import dev.tg.status.ChatProgress;
import dev.tg.status.Status;
import dev.tg.status.SyncStatus.AccountStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.pattern.StatusReply;

/** What the HTTP API asks of one account; the node answers with the account's actors and the archive. */
public interface AccountQueries {
  CompletionStage<AccountStatus> status();

  CompletionStage<List<Status.ChatView>> chats(Status.ChatFilter filter);

  CompletionStage<Optional<Status.ChatView>> chat(long chatId);

  CompletionStage<StatusReply<ChatProgress>> sync(long chatId);

  /** Every file of the chat is to be downloaded, whatever the media policy; an error when downloads are off. */
  CompletionStage<StatusReply<Done>> fetchMedia(long chatId);

  /** Queues an audit of the chat against Telegram (tg verify); empty when the account does not know the chat. */
  CompletionStage<Optional<AuditReport>> startAudit(long chatId, int maxRequests);

  /** The chat's last audit; empty when none was asked. */
  CompletionStage<Optional<AuditReport>> audit(long chatId);

  CompletionStage<List<Map<String, Object>>> contacts();

  /** A page of the chat's archived messages; empty when this account's archive does not know the chat. */
  CompletionStage<Optional<MessagePage>> messages(long chatId, Anchor anchor, long messageId, int limit);

  /** Archived messages containing {@code text}, newest first. */
  CompletionStage<List<MessageRow>> search(String text, int limit);

  /** The earlier versions of an archived message; empty when this account's archive lacks the message. */
  CompletionStage<Optional<List<MessageVersion>>> versions(long chatId, long messageId);
}
