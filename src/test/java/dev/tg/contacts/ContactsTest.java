package dev.tg.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tg.archive.ArchiveReader;
import dev.tg.http.ApiNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contacts table follows the simulated account's changes, and the periodic full sync (every 200 ms here)
 * replaces it atomically: a concurrent reader never sees it empty.
 */
class ContactsTest {
  @TempDir
  static Path dir;

  static ApiNode node;
  static ArchiveReader archive;

  @BeforeAll
  static void start() {
    node = ApiNode.start(dir.resolve("data"), null, Map.of("tg.sync.contacts.full-sync-interval", "200ms"));
    archive = ArchiveReader.open(node.settings().archiveFile());
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> count() == node.world().contactCount());
  }

  @AfterAll
  static void stop() {
    archive.close();
    node.close();
  }

  static long count() {
    return ((Number) archive.rows("SELECT count(*) AS n FROM contacts WHERE account = 'demo'").get(0).get("n"))
        .longValue();
  }

  static List<Map<String, Object>> contact(long userId) {
    return archive.rows("SELECT first_name, last_name FROM contacts WHERE account = 'demo' AND user_id = ?", userId);
  }

  @Test
  void theTableFollowsAddedRenamedAndRemovedContacts() {
    long added = node.world().addContact("Zoë", "Added");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !contact(added).isEmpty());
    assertThat(contact(added).get(0)).containsEntry("first_name", "Zoë").containsEntry("last_name", "Added");

    node.world().renameUser(added, "Зоя", "Переименована");
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> "Зоя".equals(contact(added).get(0).get("first_name")));
    assertThat(contact(added).get(0)).containsEntry("last_name", "Переименована");

    node.world().removeContact(added);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> contact(added).isEmpty());
    // the user stays known, only the contact row goes
    assertThat(archive.rows("SELECT first_name FROM users WHERE account = 'demo' AND user_id = ?", added))
        .hasSize(1);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> count() == node.world().contactCount()
        && node.get("/status").body().path("contacts").path("total_contacts").asLong() == count());
  }

  @Test
  void fullSyncsReplaceTheTableAtomically() throws Exception {
    AtomicBoolean reading = new AtomicBoolean(true);
    AtomicLong emptySeen = new AtomicLong();
    AtomicInteger reads = new AtomicInteger();
    Thread reader = new Thread(() -> {
      try (ArchiveReader own = ArchiveReader.open(node.settings().archiveFile())) {
        while (reading.get()) {
          long n = ((Number) own.rows("SELECT count(*) AS n FROM contacts WHERE account = 'demo'").get(0).get("n"))
              .longValue();
          if (n == 0) {
            emptySeen.incrementAndGet();
          }
          reads.incrementAndGet();
        }
      }
    }, "contacts-reader");
    reader.start();
    Set<String> syncs = new HashSet<>();
    try {
      // each full sync stamps a new last_full_sync: watch several go by under the reader
      Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
        syncs.add(node.get("/status").body().path("contacts").path("last_full_sync").asText());
        return syncs.size() >= 6;
      });
    } finally {
      reading.set(false);
      reader.join();
    }
    assertThat(reads.get()).isGreaterThan(100);
    assertThat(emptySeen.get()).as("reads that saw an empty contacts table").isZero();
    assertThat(count()).isEqualTo(node.world().contactCount());
  }
}
