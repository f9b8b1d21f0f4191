package dev.tg.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One instance's files, as TDLib's FileManager keeps them: ids of its own, given in the order the instance first
 * shows a file (FileManager::next_file_id, never persistent), keyed by the file's {@code remote.unique_id}; the
 * downloads it runs, sharing the world's bandwidth and reported by {@code updateFile} once per 64 KiB part
 * (PartsManager::init: part size 64 KiB for a file of known size); and the copies it writes under its files
 * directory, a download's ready parts first into {@code temp/} (its partial local location).
 */
final class ClientFiles {
  /** The answer of a synchronous downloadFile comes when the download ends. */
  static final ObjectNode LATER = TdObjects.object("later");
  static final String FAILED = "File download has failed or was canceled";
  private static final int PART_SIZE = 64 << 10;

  private static final class FileState {
    final int id;
    final String uniqueId;
    final ObjectNode remote;
    final int size;
    long downloaded;
    boolean active;
    String path = "";
    // the world's bytes of the file while it downloads
    byte[] bytes;
    final List<Consumer<ObjectNode>> waiters = new ArrayList<>();

    FileState(int id, ObjectNode remote, int size) {
      this.id = id;
      this.uniqueId = remote.path("unique_id").asText();
      this.remote = remote;
      this.size = size;
    }

    boolean completed() {
      return !path.isEmpty();
    }
  }

  private final Map<String, FileState> byUniqueId = new HashMap<>();
  private final Map<Integer, FileState> byId = new HashMap<>();
  private final Map<Integer, FileState> downloading = new LinkedHashMap<>();
  private final Consumer<ObjectNode> emit;
  private final LongSupplier bytesPerSecond;
  private final Supplier<Path> filesDirectory;
  private final BooleanSupplier fileDatabase;
  private Path temporaryDirectory;
  private Instant lastProgress;
  private double carried;

  ClientFiles(Consumer<ObjectNode> emit, LongSupplier bytesPerSecond, Supplier<Path> filesDirectory,
      BooleanSupplier fileDatabase) {
    this.emit = emit;
    this.bytesPerSecond = bytesPerSecond;
    this.filesDirectory = filesDirectory;
    this.fileDatabase = fileDatabase;
  }

  /** Gives every file in {@code object} this instance's id and local state, as TDLib's get_file_object does. */
  void localize(JsonNode object) {
    if (object.isObject() && "file".equals(object.path("@type").asText())
        && !object.path("remote").path("unique_id").asText().isEmpty()) {
      ObjectNode file = (ObjectNode) object;
      FileState state = state(file);
      file.put("id", state.id);
      file.set("local", local(state));
      return;
    }
    object.forEach(this::localize);
  }

  private FileState state(ObjectNode file) {
    return byUniqueId.computeIfAbsent(file.path("remote").path("unique_id").asText(), unique -> {
      FileState state = new FileState(byId.size() + 1, file.get("remote").deepCopy(), file.path("size").asInt());
      byId.put(state.id, state);
      rememberLocalCopy(state);
      return state;
    });
  }

  /**
   * With use_file_database, an earlier instance's copy in the same files directory is known: a complete one, or the
   * ready parts of a download it did not finish, which the next download goes on from (FileManager::flush_to_pmc
   * saves the local location, a partial one too; FileDownloader::init keeps a partial location's ready parts).
   * Without it a new instance knows no file.
   */
  private void rememberLocalCopy(FileState state) {
    Path configured = filesDirectory.get();
    if (!fileDatabase.getAsBoolean() || configured == null) {
      return;
    }
    Path copy = configured.resolve(WorldFiles.directory(state.remote)).resolve(state.uniqueId);
    Path partial = partialOf(configured, state);
    try {
      if (Files.isRegularFile(copy) && Files.size(copy) == state.size) {
        state.path = copy.toString();
        state.downloaded = state.size;
      } else if (Files.isRegularFile(partial)) {
        state.downloaded = Math.min(state.size - 1, Files.size(partial) / PART_SIZE * PART_SIZE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path partialOf(Path filesDirectory, FileState state) {
    return filesDirectory.resolve("temp").resolve(state.uniqueId + ".part");
  }

  /** getFile, downloadFile, cancelDownloadFile or deleteFile; a synchronous download answers {@code later}. */
  ObjectNode handle(ObjectNode request, Instant now, Consumer<ObjectNode> later) {
    return switch (request.path("@type").asText()) {
      case "getFile" -> getFile(request);
      case "downloadFile" -> download(request, now, later);
      case "cancelDownloadFile" -> cancel(request);
      default -> delete(request);
    };
  }

  /** Requests::on_request(getFile): offline; an id this instance never gave is Td::send_result's 404. */
  private ObjectNode getFile(ObjectNode request) {
    FileState state = byId.get(request.path("file_id").asInt());
    return state == null ? TdObjects.error(404, "Not Found") : fileObject(state);
  }

  /** FileManager::download_file: checks, then the file at once, or (synchronous) when the download has ended. */
  private ObjectNode download(ObjectNode request, Instant now, Consumer<ObjectNode> answerLater) {
    int priority = request.path("priority").asInt();
    if (priority < 1 || priority > 32) {
      return TdObjects.error(400, "Priority must be between 1 and 32");
    }
    if (request.path("offset").asLong() < 0) {
      return TdObjects.error(400, "Download offset must be non-negative");
    }
    if (request.path("limit").asLong() < 0) {
      return TdObjects.error(400, "Download limit must be non-negative");
    }
    FileState state = byId.get(request.path("file_id").asInt());
    if (state == null) {
      return TdObjects.error(400, "File not found");
    }
    if (state.completed()) {
      return fileObject(state);
    }
    if (!state.active) {
      if (state.downloaded == 0) {
        deletePartial(state); // parts of another run the file database does not know
      }
      state.active = true;
      if (downloading.isEmpty()) {
        lastProgress = now;
      }
      downloading.put(state.id, state);
      emit.accept(update(state));
    }
    if (!request.path("synchronous").asBoolean()) {
      return fileObject(state);
    }
    state.waiters.add(answerLater);
    return LATER;
  }

  /** Requests.cpp cancelDownloadFile: ok at once; a synchronous download waiting on it fails. */
  private ObjectNode cancel(ObjectNode request) {
    FileState state = byId.get(request.path("file_id").asInt());
    if (state != null && state.active && !(request.path("only_if_pending").asBoolean() && state.downloaded > 0)) {
      stop(state, false);
    }
    return TdObjects.ok();
  }

  /** FileManager::delete_file: the local copy is unlinked; an unknown file is no error. */
  private ObjectNode delete(ObjectNode request) {
    FileState state = byId.get(request.path("file_id").asInt());
    if (state == null) {
      return TdObjects.ok();
    }
    if (state.active) {
      stop(state, false);
    }
    if (state.completed()) {
      try {
        Files.deleteIfExists(Path.of(state.path));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      state.path = "";
    }
    deletePartial(state);
    state.downloaded = 0;
    emit.accept(update(state));
    return TdObjects.ok();
  }

  /** The downloads share the bandwidth of the time since the last call; none moves while the network is down. */
  void progress(Instant now, boolean online) {
    if (downloading.isEmpty()) {
      return;
    }
    long elapsedNanos = Duration.between(lastProgress, now).toNanos();
    lastProgress = now;
    if (!online || elapsedNanos <= 0) {
      return;
    }
    carried += bytesPerSecond.getAsLong() * (elapsedNanos / 1e9);
    for (FileState state : List.copyOf(downloading.values())) {
      if (WorldFiles.isGone(state.uniqueId)) {
        // the server refuses the part; FileManager::on_download_error_impl ends every download of the file
        stop(state, false);
        continue;
      }
      long share = (long) (carried / downloading.size());
      if (share <= 0) {
        return;
      }
      long before = state.downloaded;
      state.downloaded = Math.min(state.size, before + share);
      carried -= state.downloaded - before;
      if (state.downloaded == state.size) {
        write(state);
        stop(state, true);
      } else if (state.downloaded / PART_SIZE != before / PART_SIZE) {
        writeParts(state, before / PART_SIZE * PART_SIZE, state.downloaded / PART_SIZE * PART_SIZE);
        emit.accept(update(state));
      }
    }
  }

  /** The parts in [from, to) are ready: appended to the partial copy. */
  private void writeParts(FileState state, long from, long to) {
    try {
      Path partial = partialOf(filesDirectory(), state);
      Files.createDirectories(partial.getParent());
      try (OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
        out.write(bytesOf(state), (int) from, (int) (to - from));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void write(FileState state) {
    try {
      Path dir = Files.createDirectories(filesDirectory().resolve(WorldFiles.directory(state.remote)));
      Path file = dir.resolve(state.uniqueId);
      Files.write(file, bytesOf(state));
      state.path = file.toString();
      deletePartial(state);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytesOf(FileState state) {
    if (state.bytes == null) {
      state.bytes = WorldFiles.content(state.uniqueId, state.size);
    }
    return state.bytes;
  }

  private void deletePartial(FileState state) {
    try {
      Files.deleteIfExists(partialOf(filesDirectory(), state));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** TDLib writes into the current directory when it is given none; a temporary one stands for it here. */
  private Path filesDirectory() throws IOException {
    Path configured = filesDirectory.get();
    if (configured != null) {
      return configured;
    }
    if (temporaryDirectory == null) {
      temporaryDirectory = Files.createTempDirectory("simulated-tdlib-files");
    }
    return temporaryDirectory;
  }

  private void stop(FileState state, boolean completed) {
    state.active = false;
    state.bytes = null;
    downloading.remove(state.id);
    if (!completed) {
      state.downloaded = 0;
      deletePartial(state);
    }
    emit.accept(update(state));
    List<Consumer<ObjectNode>> waiters = List.copyOf(state.waiters);
    state.waiters.clear();
    // FileManager::on_user_file_download_finished: the file once complete, else one error for every cause
    waiters.forEach(waiter -> waiter.accept(completed ? fileObject(state) : TdObjects.error(400, FAILED)));
  }

  private ObjectNode update(FileState state) {
    ObjectNode update = TdObjects.object("updateFile");
    update.set("file", fileObject(state));
    return update;
  }

  private ObjectNode fileObject(FileState state) {
    ObjectNode file = TdObjects.object("file").put("id", state.id).put("size", state.size)
        .put("expected_size", state.size);
    file.set("local", local(state));
    file.set("remote", state.remote.deepCopy());
    return file;
  }

  private static ObjectNode local(FileState state) {
    return TdObjects.object("localFile")
        .put("path", state.path)
        .put("can_be_downloaded", true)
        .put("can_be_deleted", state.completed())
        .put("is_downloading_active", state.active)
        .put("is_downloading_completed", state.completed())
        .put("download_offset", 0)
        .put("downloaded_prefix_size", state.downloaded)
        .put("downloaded_size", state.downloaded);
  }
}
