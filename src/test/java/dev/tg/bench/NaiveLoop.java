package dev.tg.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.archive.ArchiveStore;
import dev.tg.simulator.LoginScript;
import dev.tg.simulator.SimulatedTdJson;
import dev.tg.simulator.SimulatedTelegram;
import dev.tg.telegram.TdClient;
import dev.tg.telegram.TdDispatcher;
import dev.tg.telegram.TdException;
import dev.tg.archive.MessageRecord;
import dev.tg.telegram.TdlibParameters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The baseline: the design document's loop, straight on TdClient and ArchiveStore. A fixed number of workers each
 * take a chat and page its history backwards, 100 messages a call, with a fixed pause between batches; no
 * scheduler, no rate window, no adaptation.
 */
final class NaiveLoop {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  record Result(long archived, long requests, long floodWaits, double seconds) {
    double messagesPerSecond() {
      return archived / seconds;
    }
  }

  private NaiveLoop() {}

  static Result run(SimulatedTelegram world, Path dir, int workers, Duration pause, Duration duration)
      throws Exception {
    TdDispatcher dispatcher = new TdDispatcher(new SimulatedTdJson(world, LoginScript.AUTO), "naive");
    CompletableFuture<Void> ready = new CompletableFuture<>();
    ConcurrentLinkedQueue<Long> chats = new ConcurrentLinkedQueue<>();
    TdClient[] client = new TdClient[1];
    client[0] = dispatcher.createClient(update -> {
      switch (update.path("@type").asText()) {
        case "updateAuthorizationState" -> {
          String state = update.path("authorization_state").path("@type").asText();
          if (state.equals("authorizationStateWaitTdlibParameters")) {
            client[0].send(TdlibParameters.of(dir.resolve("tdlib"), 1, "bench", new byte[0], true));
          } else if (state.equals("authorizationStateReady")) {
            ready.complete(null);
          }
        }
        case "updateNewChat" -> chats.add(update.path("chat").path("id").asLong());
        default -> {
          // the loop reads nothing else
        }
      }
    });
    client[0].send(TdClient.request("getOption").put("name", "version"));
    ready.get();
    loadChatList(client[0]);

    AtomicLong archived = new AtomicLong();
    AtomicLong requests = new AtomicLong();
    AtomicLong floods = new AtomicLong();
    long started = System.nanoTime();
    long deadline = started + duration.toNanos();
    try (ArchiveStore store = ArchiveStore.open(dir.resolve("naive-archive.db"))) {
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        Thread worker = new Thread(() -> {
          Long chatId;
          while (System.nanoTime() < deadline && (chatId = chats.poll()) != null) {
            long from = 0;
            while (System.nanoTime() < deadline) {
              ObjectNode request = TdClient.request("getChatHistory").put("chat_id", chatId)
                  .put("from_message_id", from).put("offset", 0).put("limit", 100).put("only_local", false);
              requests.incrementAndGet();
              JsonNode answer;
              try {
                answer = client[0].send(request, TIMEOUT).toCompletableFuture().join();
              } catch (CompletionException e) {
                if (e.getCause() instanceof TdException.FloodWait flood) {
                  floods.incrementAndGet();
                  sleep(flood.retryAfter());
                  continue;
                }
                throw e;
              }
              List<MessageRecord> page = new ArrayList<>();
              answer.path("messages").forEach(message -> page.add(MessageRecord.of(message)));
              if (page.isEmpty()) {
                break;
              }
              long chat = chatId;
              ArchiveStore.Stored stored;
              synchronized (store) {
                stored = store.storeMessages("naive", chat, page);
              }
              archived.addAndGet(stored.inserted());
              from = page.stream().mapToLong(MessageRecord::id).min().orElseThrow();
              sleep(pause);
            }
          }
        }, "naive-" + i);
        worker.start();
        threads.add(worker);
      }
      for (Thread thread : threads) {
        thread.join();
      }
    } finally {
      client[0].close().toCompletableFuture().get();
      client[0].forget();
      dispatcher.close();
    }
    double seconds = Math.min(System.nanoTime() - started, duration.toNanos()) / 1e9;
    return new Result(archived.get(), requests.get(), floods.get(), seconds);
  }

  private static void loadChatList(TdClient client) {
    while (true) {
      ObjectNode loadChats = TdClient.request("loadChats").put("limit", 100);
      loadChats.putObject("chat_list").put("@type", "chatListMain");
      try {
        client.send(loadChats, TIMEOUT).toCompletableFuture().join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof TdException.NotFound) {
          return; // every chat is loaded
        }
        throw e;
      }
    }
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
