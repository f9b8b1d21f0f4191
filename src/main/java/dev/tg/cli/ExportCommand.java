package dev.tg.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tg.archive.ArchiveReader;
import dev.tg.archive.ArchiveReader.MessageRow;
import dev.tg.config.OwnerOnlyFiles;
import dev.tg.http.HttpJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
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
    description = {"Writes a chat's whole archived history, oldest first, as JSON lines or CSV (no node needed).",
        "A file given with --output is created readable by its owner only."})
final class ExportCommand implements Callable<Integer> {
  static final String[] CSV_COLUMNS = {"account", "chat_id", "chat_title", "message_id", "date", "sender_id",
      "sender_name", "outgoing", "content_type", "text", "reply_to_message_id", "edit_date", "deleted"};

  enum Format { jsonl, csv }

  @Spec
  CommandSpec spec;

  @Mixin
  ConfigOptions options;

  @Parameters(index = "0", paramLabel = "CHAT", description = "Chat id or title.")
  String chat;

  @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "jsonl or csv.")
  Format format;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of to stdout.")
  Path output;

  @Option(names = "--account", paramLabel = "NAME", description = "The account the chat belongs to.")
  String account;

  @Override
  public Integer call() throws Exception {
    try (ArchiveReader archive = ArchiveReader.openExisting(options.settings().archiveFile())) {
      ChatNames.Candidate target = ArchiveChats.resolve(archive, chat, account);
      Set<Long> history = archive.historyOf(target.account(), target.chatId());
      long[] count = {0};
      try (Writer writer = open()) {
        if (format == Format.csv) {
          writer.write(String.join(",", CSV_COLUMNS) + "\r\n");
        }
        archive.eachMessage(target.account(), history, message -> {
          try {
            writer.write(format == Format.csv ? csv(message) + "\r\n" : jsonl(message) + "\n");
            count[0]++;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      }
      if (output != null) {
        spec.commandLine().getErr().printf("exported %d messages of %s to %s%n", count[0], target.title(), output);
      }
    }
    return Main.OK;
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
    OwnerOnlyFiles.createFile(output);
    return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(output,
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
