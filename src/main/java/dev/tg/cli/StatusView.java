package dev.tg.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tg.archive.Storage;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The design document's {@code tg status} display, drawn from the node's JSON status. */
final class StatusView {
  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
      .withZone(ZoneOffset.UTC);

  // beyond this the table scrolls off a terminal; --json has every job
  private static final int MAX_JOBS = 15;

  private StatusView() {}

  static String render(JsonNode status) {
    StringBuilder out = new StringBuilder();
    Instant now = Instant.now();
    out.append("Daemon Status\n");
    out.append(row("Running:", (status.path("daemon_running").asBoolean() ? "Yes" : "No")
        + " (uptime: " + duration(status.path("daemon_uptime_seconds").asLong()) + ")"));
    out.append(row("Last ping:", ago(status.path("last_telegram_ping"), now)));
    out.append(row("Connection:", status.path("connection_state").asText()));
    out.append(row("Storage:", storage(status.path("storage"), now)));
    JsonNode contacts = status.path("contacts");
    out.append("\nContact Sync\n");
    out.append(row("Contacts:", number(contacts.path("total_contacts").asLong())));
    out.append(row("Last sync:", time(contacts.path("last_full_sync"))));
    JsonNode chats = status.path("chats");
    out.append("\nChat Sync Summary\n");
    out.append(row("Total chats:", number(chats.path("total_chats").asLong())));
    out.append(row("Sync enabled:", number(chats.path("sync_enabled").asLong())));
    out.append(row("Fully synced:", number(chats.path("fully_synced").asLong())));
    out.append(row("In progress:", number(chats.path("partially_synced").asLong())));
    out.append(row("Not synced:", number(chats.path("not_synced").asLong()) + " (large groups/channels)"));
    if (chats.path("inaccessible").asLong() > 0) {
      out.append(row("Inaccessible:", number(chats.path("inaccessible").asLong())));
    }
    out.append(row("Messages:", number(status.path("synced_messages").asLong())));
    out.append("\nSync by Priority\n");
    out.append(String.format("  %-14s| %-6s| %-9s| %-11s| %s%n", "Priority", "Total", "Complete", "Progress",
        "Messages"));
    out.append("  --------------|-------|----------|------------|----------\n");
    chats.path("by_priority").fields().forEachRemaining(tier -> {
      JsonNode figures = tier.getValue();
      long total = figures.path("total").asLong();
      long synced = figures.path("synced_messages").asLong();
      long known = figures.path("total_messages").asLong();
      boolean disabled = tier.getKey().equals("P3") && figures.path("in_progress").asLong() == 0
          && figures.path("complete").asLong() == 0;
      out.append(String.format("  %-14s| %-6d| %-9d| %-11s| %s%n",
          figures.path("label").asText() + " (" + tier.getKey() + ")", total, figures.path("complete").asLong(),
          known > 0 ? (100 * synced / known) + "%" : "-",
          disabled ? "(disabled)" : number(synced) + " / " + number(known)));
    });
    out.append("\nActive Jobs\n");
    JsonNode jobs = status.path("active_jobs");
    if (jobs.isEmpty()) {
      out.append("  None\n");
    } else {
      out.append(String.format("  %-22s| %-17s| %-9s| %s%n", "Chat", "Type", "Progress", "Started"));
      out.append("  ----------------------|------------------|----------|--------\n");
      int shown = 0;
      for (JsonNode job : jobs) {
        if (shown++ == MAX_JOBS) {
          out.append("  ... and ").append(jobs.size() - MAX_JOBS).append(" more (tg status --json lists all)\n");
          break;
        }
        JsonNode percent = job.path("progress_percent");
        out.append(String.format("  %s| %-17s| %-9s| %s%n", Text.fit(job.path("chat_name").asText(), 22),
            job.path("job_type").asText(), percent.isNumber() ? Math.round(percent.asDouble()) + "%" : "-",
            ago(job.path("started_at"), now)));
      }
    }
    media(out, status.path("media"));
    JsonNode rates = status.path("rate_limit_status");
    out.append("\nRate Limiting\n");
    out.append(row("Requests/sec:", rates.path("requests_per_second").asLong() + "/"
        + trim(rates.path("limit").asDouble())
        + (rates.path("limit").asDouble() < rates.path("configured_limit").asDouble()
            ? " (lowered from " + trim(rates.path("configured_limit").asDouble()) + ")" : "")));
    JsonNode flood = rates.path("flood_wait");
    out.append(row("Flood wait:", flood.isObject()
        ? flood.path("seconds").asLong() + " s on " + flood.path("method").asText() + ", until "
            + time(flood.path("until"))
        : "None"));
    JsonNode slow = rates.path("slow_request");
    if (slow.isObject()) {
      out.append(row("Waiting:", slow.path("method").asText() + " unanswered for " + slow.path("seconds").asLong()
          + " s (TDLib may be sitting out a flood wait)"));
    }
    cluster(out, status);
    return out.toString();
  }

  /** The members of the cluster and where each account runs; nothing on a node that is no cluster member. */
  private static void cluster(StringBuilder out, JsonNode status) {
    JsonNode members = status.path("cluster_members");
    if (!members.isArray()) {
      return;
    }
    out.append("\nCluster\n");
    for (JsonNode member : members) {
      out.append(row(member.path("self").asBoolean() ? "Member (this):" : "Member:",
          member.path("address").asText() + "  " + member.path("status").asText()
              + (member.path("reachable").asBoolean() ? "" : ", unreachable")));
    }
    for (JsonNode account : status.path("accounts")) {
      JsonNode runner = account.path("runner");
      out.append(row("Account:", account.path("name").asText() + "  "
          + (runner.isTextual() ? "on " + runner.asText() : "not running (" + account.path("connection_state").asText()
              + ")")));
    }
  }

  private static void media(StringBuilder out, JsonNode media) {
    if (!media.isObject()) {
      return;
    }
    long rate = media.path("bytes_per_second").asLong();
    JsonNode eta = media.path("eta_seconds");
    out.append("\nMedia\n");
    out.append(row("Pending:", number(media.path("pending_files").asLong()) + " files, "
        + Storage.bytes(media.path("pending_bytes").asLong())
        + (media.path("downloading_files").asLong() > 0
            ? " (" + media.path("downloading_files").asLong() + " downloading)" : "")));
    out.append(row("Stored:", number(media.path("done_files").asLong()) + " files, "
        + Storage.bytes(media.path("done_bytes").asLong())));
    out.append(row("Rate:", Storage.bytes(rate) + "/s"
        + (eta.isNumber() && eta.asLong() > 0 ? ", done in about " + duration(eta.asLong()) : "")));
    out.append(row("Failed/skipped:", number(media.path("failed_files").asLong()) + " / "
        + number(media.path("skipped_files").asLong()) + " (by the policy)"));
  }

  /** "ok (12.3 GB free)", or why history is paused, since when. */
  private static String storage(JsonNode storage, Instant now) {
    if (!storage.isObject()) {
      return "-";
    }
    JsonNode free = storage.path("free_bytes");
    String room = free.isNumber() ? Storage.bytes(free.asLong()) + " free" : "free space not measured yet";
    if (!storage.path("paused").asBoolean()) {
      return "ok (" + room + ")";
    }
    return storage.path("state").asText().toUpperCase(Locale.ROOT).replace('_', ' ') + ": history paused "
        + ago(storage.path("since"), now) + " — " + storage.path("problem").asText() + "; " + room;
  }

  private static String row(String label, String value) {
    return String.format("  %-16s %s%n", label, value);
  }

  static String number(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  private static String trim(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
  }

  private static String time(JsonNode instant) {
    return instant.isTextual() ? UTC.format(Instant.parse(instant.asText())) : "never";
  }

  private static String ago(JsonNode instant, Instant now) {
    if (!instant.isTextual()) {
      return "never";
    }
    Duration since = Duration.between(Instant.parse(instant.asText()), now);
    return since.toSeconds() < 60 ? Math.max(0, since.toSeconds()) + " seconds ago" : duration(since.toSeconds())
        + " ago";
  }

  static String duration(long seconds) {
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return seconds / 60 + "m";
    }
    return seconds / 3600 + "h " + seconds % 3600 / 60 + "m";
  }
}
