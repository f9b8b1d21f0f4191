package dev.tg.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.archive.Archive;
import dev.tg.scheduler.Priority;
import dev.tg.scheduler.ScheduledClient;
import dev.tg.telegram.TdClient;
import dev.tg.telegram.TdException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * One file's way from Telegram into the store. File ids belong to one TDLib instance (FileManager gives them per
 * run): a message archived before this run, or a file whose first try failed, is read again first ({@code
 * getMessage}, through the scheduler at the lowest tier), which also hands TDLib the file source it repairs an
 * expired file reference from by itself (FileReferenceManager::repair_file_reference); the file TDLib answers must
 * have the expected unique id. Then {@code downloadFile} synchronous, which takes no token: TDLib
 * downloads files on connections of their own, apart from the API's requests. The bytes are copied into the
 * {@link MediaStore} and TDLib's own copy deleted ({@code deleteFile}); only then may the {@link Media} actor mark
 * the rows done, so a file done never has a copy left in TDLib's files directory.
 */
final class Download {
  /**
   * How a try ended: {@code stored} when the file is durable in the store and TDLib's copy gone (its rows are to be
   * marked done), else the {@code error}, {@code giveUp} when trying again cannot help.
   */
  record Outcome(MediaStore.Stored stored, String error, boolean giveUp) {
    static Outcome retry(Throwable failure) {
      return new Outcome(null, describe(failure), false);
    }
  }

  /** TDLib's answer to downloadFile for a file it cannot get (FileManager::download_impl). */
  static final String CANNOT_DOWNLOAD = "Can't download or generate the file";

  /** A file that cannot be had from this message any more. */
  private static final class Gone extends RuntimeException {
    Gone(String message) {
      super(message);
    }
  }

  private final String account;
  private final ScheduledClient telegram;
  private final Archive archive;
  private final MediaStore store;
  private final Executor blocking;

  Download(String account, ScheduledClient telegram, Archive archive, MediaStore store, Executor blocking) {
    this.account = account;
    this.telegram = telegram;
    this.archive = archive;
    this.store = store;
    this.blocking = blocking;
  }

  /**
   * Before the first download: the table exists, interrupted downloads are pending again, partial copies gone.
   * Answers the archive's last message row: file ids of later messages are this TDLib instance's own.
   */
  CompletionStage<Long> prepare() {
    return archive.write(writer -> writer.onConnection(account, connection -> {
      MediaTable.ensure(connection);
      MediaTable.resumeInterrupted(connection, account);
      return MediaTable.lastMessageRow(connection);
    })).thenApplyAsync(lastRow -> {
      try {
        store.clearTemporary();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return lastRow;
    }, blocking);
  }

  /** A download under way: its bytes have come once {@code transferred} completes, its outcome in {@code finished}. */
  record Run(CompletionStage<?> transferred, CompletionStage<Outcome> finished) {}

  private record Transferred(MediaContent.File file, ObjectNode answer) {}

  /** {@code runStart}: the last message row before this TDLib instance; a first try of a later one needs no re-read. */
  Run run(MediaTable.Pending file, int maxAttempts, long runStart) {
    boolean idIsThisRuns = file.messageRow() > runStart && file.fileId() > 0 && file.attempts() == 0;
    CompletionStage<Transferred> transferred = (idIsThisRuns ? lookUp(file) : reread(file))
        .thenCompose(current -> {
          // TDLib's priority 1..32, higher first: P1 before P4
          ObjectNode request = TdClient.request("downloadFile").put("file_id", current.fileId())
              .put("priority", 33 - 8 * file.tier()).put("offset", 0).put("limit", 0).put("synchronous", true);
          return telegram.sendLocal(request).thenApply(answer -> new Transferred(current, answer));
        });
    CompletionStage<Outcome> finished = transferred
        .thenApplyAsync(done -> copy(done.answer(), done.file()), blocking)
        // ours is durable: TDLib's copy goes before the file counts as done, so no run leaves it behind
        .thenCompose(stored -> telegram.sendLocal(TdClient.request("deleteFile").put("file_id", stored.fileId()))
            .thenApply(deleted -> new Outcome(stored.stored(), null, false)))
        .exceptionallyCompose(failure -> failed(file, failure, maxAttempts));
    return new Run(transferred, finished);
  }

  private record Copied(int fileId, MediaStore.Stored stored) {}

  /**
   * The file by the id in its row, checked locally ({@code getFile} is offline: Requests::on_request(getFile)): a
   * change kept across a restart can have brought an earlier instance's id, which names another file in this one
   * or none (404), and then the message is read again.
   */
  private CompletionStage<MediaContent.File> lookUp(MediaTable.Pending file) {
    return telegram.sendLocal(TdClient.request("getFile").put("file_id", file.fileId()))
        .handle((found, unknown) -> unknown == null
            && file.uniqueId().equals(found.path("remote").path("unique_id").asText()))
        .thenCompose(same -> same
            ? CompletableFuture.completedFuture(new MediaContent.File(file.kind(), file.fileId(), file.uniqueId(),
                file.size()))
            : reread(file));
  }

  /** The message as this TDLib instance has it now, for the file's id of this run. */
  private CompletionStage<MediaContent.File> reread(MediaTable.Pending file) {
    return telegram.send(file.chatId(), Priority.P4, TdClient.request("getMessage")
            .put("chat_id", file.chatId()).put("message_id", file.messageId()))
        .thenApply(message -> {
          MediaContent.File current = MediaContent.find(message.path("content"), file.uniqueId());
          if (current == null) {
            throw new Gone("the message no longer holds the file");
          }
          return current;
        });
  }

  private Copied copy(ObjectNode answer, MediaContent.File current) {
    if (!current.uniqueId().equals(answer.path("remote").path("unique_id").asText())) {
      // an id of another run names another file: never store it under this message
      throw new IllegalStateException("TDLib's file " + current.fileId() + " is another file");
    }
    JsonNode local = answer.path("local");
    if (!local.path("is_downloading_completed").asBoolean() || local.path("path").asText().isEmpty()) {
      throw new IllegalStateException("TDLib answered the download before it was complete");
    }
    Path path = Path.of(local.path("path").asText());
    long size = answer.path("size").asLong() > 0 ? answer.path("size").asLong() : current.size();
    try (InputStream in = Files.newInputStream(path)) {
      return new Copied(current.fileId(), store.put(in, size));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store " + path + ": " + e.getMessage(), e);
    }
  }

  private CompletionStage<Outcome> failed(MediaTable.Pending file, Throwable failure, int maxAttempts) {
    Throwable cause = TdException.unwrap(failure);
    boolean giveUp = cause instanceof Gone || cause instanceof TdException.NotFound
        || cause instanceof TdException td && CANNOT_DOWNLOAD.equals(td.tdMessage());
    Outcome outcome = new Outcome(null, describe(cause), giveUp);
    return archive.write(writer -> writer.onConnection(account, connection -> MediaTable.markFailed(connection, account,
            file, outcome.error(), giveUp, maxAttempts)))
        .handle((marked, markFailure) -> outcome);
  }

  private static String describe(Throwable failure) {
    Throwable cause = TdException.unwrap(failure);
    return cause instanceof TdException td ? td.code() + " " + td.tdMessage() : String.valueOf(cause.getMessage());
  }
}
