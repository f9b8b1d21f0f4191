package dev.tg.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tg.archive.ArchiveReader;
import dev.tg.archive.ArchiveReader.ChatRow;
import dev.tg.archive.ArchiveReader.MessageRow;
import dev.tg.archive.MessageWindow;
import dev.tg.config.OwnerOnlyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Archived chats as static pages, like a printed archive: {@code index.html} and one {@code chat-<id>.html} per
 * chat, each with its style inside and nothing loaded from elsewhere. Senders, dates, replies (linked), forwards,
 * edits and deletions are marked; media show their kind, as the archive keeps no files yet.
 */
public final class HtmlExport {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
  private static final String STYLE = "body{font:15px/1.45 system-ui,sans-serif;max-width:46em;margin:2em auto;"
      + "padding:0 1em;color:#222}h1{font-size:1.4em}.m{margin:.6em 0;padding:.3em .6em;border-left:3px solid #ddd}"
      + ".m:target{background:#ffd}.who{font-weight:600}.when,.note{color:#777;font-size:.85em}"
      + ".service{color:#555;font-style:italic;text-align:center;border:0}.deleted{opacity:.55}"
      + ".deleted .note{color:#a00}.reply{font-size:.85em;color:#555}pre,code{background:#f4f4f4}"
      + ".spoiler{background:#ccc}table{border-collapse:collapse}td{padding:.2em .8em}";
  private static final Set<String> SAFE_LINKS = Set.of("http", "https", "mailto", "tg");

  private final ArchiveReader archive;
  private final String account;
  private final MessageWindow window;
  private final ZoneId zone;
  private final Names names;

  public HtmlExport(ArchiveReader archive, String account, MessageWindow window, ZoneId zone) {
    this.archive = archive;
    this.account = account;
    this.window = window;
    this.zone = zone;
    this.names = new ArchiveNames(archive, account);
  }

  /** The chat's page (with the chats it is one history with) and an index linking it, into {@code dir}. */
  public TdesktopWriter.Written writeChat(Path dir, long chatId) {
    return write(dir, List.of(Dialogs.of(archive, account, chatId)));
  }

  /** A page for every chat with archived messages, and the index. */
  public TdesktopWriter.Written writeAccount(Path dir) {
    return write(dir, Dialogs.all(archive, account));
  }

  private TdesktopWriter.Written write(Path dir, List<ChatRow> chats) {
    OwnerOnlyFiles.createDirectories(dir);
    List<String> rows = new ArrayList<>();
    long total = 0;
    for (ChatRow chat : chats) {
      String file = "chat-" + chat.chatId() + ".html";
      long count = page(dir.resolve(file), chat, archive.historyOf(account, chat.chatId()));
      total += count;
      rows.add("<tr><td><a href=\"" + file + "\">" + escape(chat.title()) + "</a></td><td>" + chat.chatType()
          + "</td><td>" + count + " messages</td></tr>");
    }
    write(dir.resolve("index.html"), out -> {
      out.write(head("Archive of " + account));
      out.write("<h1>Archive of " + escape(account) + "</h1>\n<table>\n" + String.join("\n", rows)
          + "\n</table>\n</body></html>\n");
    });
    return new TdesktopWriter.Written(chats.size(), total);
  }

  private long page(Path file, ChatRow chat, Set<Long> history) {
    long[] count = {0};
    write(file, out -> {
      out.write(head(chat.title()));
      out.write("<p><a href=\"index.html\">All chats</a></p>\n<h1>" + escape(chat.title()) + "</h1>\n");
      archive.eachStored(account, history, window, stored -> {
        try {
          out.write(message(stored.row(), JSON.readTree(stored.rawJson())));
          count[0]++;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      out.write("</body></html>\n");
    });
    return count[0];
  }

  private String message(MessageRow row, JsonNode message) {
    JsonNode content = message.path("content");
    String type = content.path("@type").asText();
    boolean service = ServiceActions.isService(type);
    StringBuilder html = new StringBuilder("<div class=\"m").append(service ? " service" : "")
        .append(row.deleted() ? " deleted" : "").append("\" id=\"m").append(row.chatId()).append('-')
        .append(row.messageId()).append("\">");
    html.append("<span class=\"when\">").append(TIME.format(row.date().atZone(zone))).append("</span> ");
    String sender = row.senderName() != null ? row.senderName() : row.outgoing() ? "me" : names.of(
        TdesktopMessage.senderOf(message));
    html.append("<span class=\"who\">").append(escape(sender == null ? "unknown" : sender)).append("</span>");
    JsonNode forward = message.path("forward_info").path("origin");
    if (!forward.isMissingNode()) {
      String from = forward.has("sender_name") ? forward.path("sender_name").asText()
          : names.of(forward.path("sender_user_id").asLong(forward.path("sender_chat_id").asLong(
              forward.path("chat_id").asLong())));
      html.append(" <span class=\"note\">forwarded from ").append(escape(from == null ? "unknown" : from))
          .append("</span>");
    }
    if (row.replyToMessageId() != null) {
      html.append("<div class=\"reply\"><a href=\"#m").append(row.chatId()).append('-')
          .append(row.replyToMessageId()).append("\">in reply to an earlier message</a></div>");
    }
    html.append("<div>");
    if (service) {
      html.append(escape(type.substring("message".length()).replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase()));
    } else {
      JsonNode text = content.has("text") ? content.path("text") : content.path("caption");
      if (!type.equals("messageText")) {
        html.append("<span class=\"note\">[").append(escape(type.substring("message".length()).toLowerCase()))
            .append("]</span> ");
      }
      TdesktopText.entities(text).forEach(part -> html.append(part(part)));
    }
    html.append("</div>");
    if (row.editDate() != null) {
      html.append("<span class=\"note\">edited ").append(TIME.format(row.editDate().atZone(zone))).append("</span> ");
    }
    if (row.deleted()) {
      html.append("<span class=\"note\">deleted</span>");
    }
    return html.append("</div>\n").toString();
  }

  private static String part(JsonNode part) {
    String text = escape(part.path("text").asText()).replace("\n", "<br>");
    return switch (part.path("type").asText()) {
      case "bold" -> "<b>" + text + "</b>";
      case "italic" -> "<i>" + text + "</i>";
      case "underline" -> "<u>" + text + "</u>";
      case "strikethrough" -> "<s>" + text + "</s>";
      case "code" -> "<code>" + text + "</code>";
      case "pre" -> "<pre>" + escape(part.path("text").asText()) + "</pre>";
      case "blockquote" -> "<blockquote>" + text + "</blockquote>";
      case "spoiler" -> "<span class=\"spoiler\">" + text + "</span>";
      case "link" -> link(part.path("text").asText(), text);
      case "text_link" -> link(part.path("href").asText(), text);
      default -> text;
    };
  }

  /** A link only to a scheme that opens no script: anything else stays text. */
  private static String link(String href, String text) {
    int colon = href.indexOf(':');
    String scheme = colon < 0 ? "" : href.substring(0, colon).toLowerCase();
    return SAFE_LINKS.contains(scheme) ? "<a href=\"" + escape(href) + "\">" + text + "</a>" : text;
  }

  private static String head(String title) {
    return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title><style>"
        + STYLE + "</style></head><body>\n";
  }

  static String escape(String text) {
    return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;").replace("'", "&#39;");
  }

  private interface Body {
    void write(Writer out) throws IOException;
  }

  private static void write(Path file, Body body) {
    OwnerOnlyFiles.createFile(file);
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      body.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
