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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * One file's way from Telegram into the store. The message is read again first ({@code getMessage}, through the
 * scheduler at the lowest tier): file ids belong to one TDLib instance (FileManager gives them per run), and the
 * message is the file source TDLib repairs an expired file reference from by itself
 * (FileReferenceManager::repair_file_reference). Then {@code downloadFile} synchronous, which takes no token: TDLib
 * downloads files on connections of their own, apart from the API's requests. The bytes are copied into the
 * {@link MediaStore}, the rows marked done, and only then TDLib's own copy deleted ({@code deleteFile}).
 */
final class Download {
  /** How a try ended: {@code error} null when the file is stored; {@code giveUp} when trying again cannot help. */
  record Outcome(String error, boolean giveUp) {
    static final Outcome DONE = new Outcome(null, false);

    static Outcome retry(Throwable failure) {
      return new Outcome(describe(failure), false);
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

  /** Before the first download: the table exists, interrupted downloads are pending again, partial copies gone. */
  CompletionStage<Void> prepare() {
    return archive.write(writer -> writer.onConnection(connection -> {
      MediaTable.ensure(connection);
      return MediaTable.resumeInterrupted(connection, account);
    })).thenRunAsync(() -> {
      try {
        store.clearTemporary();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, blocking);
  }

  CompletionStage<Outcome> run(MediaTable.Pending file, int maxAttempts) {
    return archive.write(writer -> writer.onConnection(connection -> MediaTable.markDownloading(connection,
            account, file)))
        .thenCompose(marked -> telegram.send(file.chatId(), Priority.P4, TdClient.request("getMessage")
            .put("chat_id", file.chatId()).put("message_id", file.messageId())))
        .thenCompose(message -> {
          MediaContent.File current = MediaContent.find(message.path("content"), file.uniqueId());
          if (current == null) {
            throw new Gone("the message no longer holds the file");
          }
          // TDLib's priority 1..32, higher first: P1 before P4
          ObjectNode request = TdClient.request("downloadFile").put("file_id", current.fileId())
              .put("priority", 33 - 8 * file.tier()).put("offset", 0).put("limit", 0).put("synchronous", true);
          return telegram.sendLocal(request).thenApplyAsync(answer -> copy(answer, current), blocking);
        })
        .thenCompose(stored -> archive.write(writer -> writer.onConnection(connection ->
            MediaTable.markDone(connection, account, file.uniqueId(), stored))))
        .thenApply(done -> Outcome.DONE)
        .exceptionallyCompose(failure -> failed(file, failure, maxAttempts));
  }

  private MediaStore.Stored copy(ObjectNode answer, MediaContent.File current) {
    JsonNode local = answer.path("local");
    if (!local.path("is_downloading_completed").asBoolean() || local.path("path").asText().isEmpty()) {
      throw new IllegalStateException("TDLib answered the download before it was complete");
    }
    Path path = Path.of(local.path("path").asText());
    long size = answer.path("size").asLong() > 0 ? answer.path("size").asLong() : current.size();
    MediaStore.Stored stored;
    try (InputStream in = Files.newInputStream(path)) {
      stored = store.put(in, size);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store " + path + ": " + e.getMessage(), e);
    }
    // ours is durable before TDLib's copy goes, so the disk does not hold it twice
    telegram.sendLocal(TdClient.request("deleteFile").put("file_id", answer.path("id").asInt()));
    return stored;
  }

  private CompletionStage<Outcome> failed(MediaTable.Pending file, Throwable failure, int maxAttempts) {
    Throwable cause = TdException.unwrap(failure);
    boolean giveUp = cause instanceof Gone || cause instanceof TdException.NotFound
        || cause instanceof TdException td && CANNOT_DOWNLOAD.equals(td.tdMessage());
    Outcome outcome = new Outcome(describe(cause), giveUp);
    return archive.write(writer -> writer.onConnection(connection -> MediaTable.markFailed(connection, account,
            file, outcome.error(), giveUp, maxAttempts)))
        .handle((marked, markFailure) -> outcome);
  }

  private static String describe(Throwable failure) {
    Throwable cause = TdException.unwrap(failure);
    return cause instanceof TdException td ? td.code() + " " + td.tdMessage() : String.valueOf(cause.getMessage());
  }
}
