package dev.tg.cli;

import dev.tg.archive.ArchiveLocation;
import dev.tg.archive.ArchiveReader;
import dev.tg.http.HttpJson;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "contacts", mixinStandardHelpOptions = true,
    description = "Lists the contacts the archive holds (the node keeps them current; it need not run).")
final class ContactsCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  @Spec
  CommandSpec spec;

  @Mixin
  ConfigOptions options;

  @Option(names = "--json", description = "Print the contacts as a JSON array.")
  boolean json;

  @Option(names = "--account", paramLabel = "NAME", description = "Only this account.")
  String account;

  @Override
  public Integer call() throws Exception {
    List<Map<String, Object>> contacts;
    try (ArchiveReader archive = ArchiveReader.openExisting(ArchiveLocation.of(options.settings()))) {
      contacts = archive.contacts(account);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(HttpJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(contacts));
    } else {
      out.printf("%-12s %s %s %-16s %-6s %s%n", "User id", Text.fit("Name", 28), Text.fit("Username", 18), "Phone",
          "Mutual", "Last seen");
      for (Map<String, Object> contact : contacts) {
        String name = (text(contact.get("first_name")) + " " + text(contact.get("last_name"))).strip();
        Object lastSeen = contact.get("last_seen");
        out.printf("%-12s %s %s %-16s %-6s %s%n", contact.get("user_id"), Text.fit(name, 28),
            Text.fit(contact.get("username") == null ? "" : "@" + contact.get("username"), 18),
            text(contact.get("phone")), Objects.equals(contact.get("is_mutual"), 1) ? "yes" : "no",
            lastSeen instanceof Number seconds && seconds.longValue() > 0
                ? TIME.format(Instant.ofEpochSecond(seconds.longValue()).atZone(ZoneId.systemDefault())) : "-");
      }
      out.println(contacts.size() + (contacts.size() == 1 ? " contact" : " contacts"));
    }
    out.flush();
    return Main.OK;
  }

  private static String text(Object value) {
    return value == null ? "" : value.toString();
  }
}
