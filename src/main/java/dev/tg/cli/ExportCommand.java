package dev.tg.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tg.archive.ArchiveLocation;
import dev.tg.archive.ArchiveReader;
import dev.tg.archive.ArchiveReader.MessageRow;
import dev.tg.archive.MessageWindow;
import dev.tg.config.OwnerOnlyFiles;
import dev.tg.interop.ExportedFiles;
import dev.tg.interop.HtmlExport;
import dev.tg.interop.TdesktopWriter;
import dev.tg.http.HttpJson;
import dev.tg.media.MediaExport;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Writes a chat's archived history, oldest first (no node needed): JSON lines, CSV, Telegram "
        + "Desktop's result.json, or static HTML pages.",
        "Files are created readable by their owner only."})
final class ExportCommand implements Callable<Integer> {
  static final String[] CSV_COLUMNS = {"account", "chat_id", "chat_title", "message_id", "date", "sender_id",
      "sender_name", "outgoing", "content_type", "text", "reply_to_message_id", "edit_date", "deleted"};

  enum Format { jsonl, csv, tdesktop, html }

  @Spec
  CommandSpec spec;

  @Mixin
  ConfigOptions options;

  @Mixin
  WindowOptions windowOptions;

  @Parameters(index = "0", arity = "0..1", paramLabel = "CHAT", description = "Chat id or title.")
  String chat;

  @Option(names = "--all", description = "Every chat of the account (with --format tdesktop or html).")
  boolean all;

  @Option(names = "--format", required = true, paramLabel = "FORMAT",
      description = "jsonl, csv, tdesktop (Telegram Desktop's result.json) or html.")
  Format format;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE|DIR",
      description = "Write here instead of to stdout; a folder for html (and for tdesktop: result.json in it).")
  Path output;

  @Option(names = "--account", paramLabel = "NAME", description = "The account the chat belongs to.")
  String account;

  @Option(names = "--media", paramLabel = "DIR", description = "With --format tdesktop: copy the stored files of "
      + "the exported messages into DIR, in Telegram Desktop's folders (photos, files, voice_messages, ...), and "
      + "name them in result.json.")
  Path mediaDir;

  @Override
  public Integer call() throws Exception {
    if (all == (chat != null)) {
      throw CommandFailed.usage("name a chat, or give --all for every chat");
    }
    if (all && (format == Format.jsonl || format == Format.csv)) {
      throw CommandFailed.usage("--all works with --format tdesktop or html");
    }
    if (mediaDir != null && format != Format.tdesktop) {
      throw CommandFailed.usage("--media works with --format tdesktop");
    }
    if (format == Format.html && output == null) {
      throw CommandFailed.usage("--format html writes a folder of pages: name it with --output DIR");
    }
    ZoneId zone = ZoneId.systemDefault();
    MessageWindow window = windowOptions.window(zone);
    try (ArchiveReader archive = ArchiveReader.openExisting(ArchiveLocation.of(options.settings()))) {
      String owner = all ? ArchiveChats.account(archive, account) : null;
      ChatNames.Candidate target = all ? null : ArchiveChats.resolve(archive, chat, account);
      String name = all ? "every chat of " + owner : target.title();
      TdesktopWriter.Written written;
      MediaExport files = null;
      if (format == Format.html) {
        HtmlExport html = new HtmlExport(archive, all ? owner : target.account(), window, zone);
        written = all ? html.writeAccount(output) : html.writeChat(output, target.chatId());
      } else {
        try (Writer writer = open()) {
          if (format == Format.tdesktop) {
            String of = all ? owner : target.account();
            files = mediaDir == null ? null
                : new MediaExport(archive, options.settings().mediaDir(), of, mediaDir, exportDir());
            TdesktopWriter tdesktop = new TdesktopWriter(archive, of, window, zone,
                files == null ? ExportedFiles.NONE : files);
            written = all ? tdesktop.writeAccount(writer) : tdesktop.writeChat(target.chatId(), writer);
          } else {
            written = new TdesktopWriter.Written(1, writeLines(archive, target, window, writer));
          }
        }
      }
      if (output != null) {
        spec.commandLine().getErr().printf("exported %d messages of %s to %s%n", written.messages(), name, output);
      }
      if (files != null) {
        spec.commandLine().getErr().printf("%d files in %s%n", files.exported(), mediaDir);
      }
    }
    return Main.OK;
  }

  private long writeLines(ArchiveReader archive, ChatNames.Candidate target, MessageWindow window, Writer writer)
      throws IOException {
    long[] count = {0};
    if (format == Format.csv) {
      writer.write(String.join(",", CSV_COLUMNS) + "\r\n");
    }
    archive.eachMessage(target.account(), archive.historyOf(target.account(), target.chatId()), window, message -> {
      try {
        writer.write(format == Format.csv ? csv(message) + "\r\n" : jsonl(message) + "\n");
        count[0]++;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    return count[0];
  }

  /** The folder result.json is written to, which its file paths are relative to; null for stdout. */
  private Path exportDir() {
    if (output == null) {
      return null;
    }
    return Files.isDirectory(output) ? output : output.toAbsolutePath().getParent();
  }

  private Writer open() throws IOException {
    if (output == null) {
      Writer out = spec.commandLine().getOut();
      // the command line's stream stays open for the caller
      return new BufferedWriter(new java.io.FilterWriter(out) {
        @Override
        public void close() throws IOException {
          flush();
        }
      });
    }
    Path file = format == Format.tdesktop && Files.isDirectory(output) ? output.resolve("result.json") : output;
    OwnerOnlyFiles.createFile(file);
    return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), StandardCharsets.UTF_8));
  }

  static String jsonl(MessageRow message) {
    try {
      return HttpJson.MAPPER.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String csv(MessageRow message) {
    return Stream.of(message.account(), message.chatId(), message.chatTitle(), message.messageId(), message.date(),
            message.senderId(), message.senderName(), message.outgoing(), message.contentType(), message.text(),
            message.replyToMessageId(), message.editDate(), message.deleted())
        .map(ExportCommand::csvField)
        .collect(Collectors.joining(","));
  }

  /** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
  static String csvField(Object value) {
    if (value == null) {
      return "";
    }
    String text = value.toString();
    return text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")
        ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
  }
}
