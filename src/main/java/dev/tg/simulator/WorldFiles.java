package dev.tg.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * The world's files: each is named by a key, from which its remote ids, its size and its bytes follow, so the world
 * stores none of them. A few keys come from a small pool shared by every chat (a photo forwarded around, the same
 * voice note twice); their {@code remote.unique_id} is the same wherever they appear, as TDLib's is for one file
 * (FileManager::get_file_object: unique_id from FullRemoteFileLocation::as_unique). One file in
 * {@value #GONE_ONE_IN} is gone from the server.
 */
public final class WorldFiles {
  /** The kinds of file a message holds, with the heavy-tailed (Pareto) size each has: minimum, alpha and cap. */
  enum Kind {
    PHOTO(30_000, 1.5, 2_000_000, "photos"),
    VOICE_NOTE(8_000, 1.4, 1_500_000, "voice"),
    DOCUMENT(20_000, 1.0, 8_000_000, "documents"),
    STICKER(15_000, 2.0, 60_000, "stickers");

    final int min;
    final double alpha;
    final int max;
    /** The directory TDLib keeps such files in (files/FileType.cpp get_file_type_name). */
    final String directory;

    Kind(int min, double alpha, int max, String directory) {
      this.min = min;
      this.alpha = alpha;
      this.max = max;
      this.directory = directory;
    }
  }

  private static final String UNIQUE_PREFIX = "AgAD";
  private static final String REMOTE_PREFIX = "BQACAgIAAxkBAAE";
  private static final int SHARED_POOL = 10;
  private static final int SHARED_PER_MILLE = 150;
  private static final int GONE_ONE_IN = 30;

  private WorldFiles() {}

  /** The key of the file of the message with this hash: its own, or one of the shared pool. */
  static long key(long seed, Kind kind, long messageHash) {
    if (Texts.pick(messageHash >>> 23, 1000) < SHARED_PER_MILLE) {
      return Texts.hash(seed, kind.ordinal(), 0x5_4A_2E_D0L, Texts.pick(messageHash >>> 33, SHARED_POOL));
    }
    return Texts.hash(messageHash, kind.ordinal(), 0xF1_1EL);
  }

  /** TDLib's {@code file} as a message holds it before any download; the instance gives it its own id. */
  static ObjectNode file(Kind kind, long key) {
    int size = size(kind, key);
    ObjectNode local = TdObjects.object("localFile")
        .put("path", "")
        .put("can_be_downloaded", true)
        .put("can_be_deleted", false)
        .put("is_downloading_active", false)
        .put("is_downloading_completed", false)
        .put("download_offset", 0)
        .put("downloaded_prefix_size", 0)
        .put("downloaded_size", 0);
    ObjectNode remote = TdObjects.object("remoteFile")
        .put("id", REMOTE_PREFIX + kind.ordinal() + Long.toHexString(key))
        .put("unique_id", uniqueId(key))
        .put("is_uploading_active", false)
        .put("is_uploading_completed", true)
        .put("uploaded_size", size);
    ObjectNode file = TdObjects.object("file").put("id", 0).put("size", size).put("expected_size", size);
    file.set("local", local);
    file.set("remote", remote);
    return file;
  }

  /** The directory of TDLib's files directory that holds the downloaded file. */
  static String directory(ObjectNode remote) {
    String id = remote.path("id").asText();
    return Kind.values()[id.charAt(REMOTE_PREFIX.length()) - '0'].directory;
  }

  private static int size(Kind kind, long key) {
    SplittableRandom random = new SplittableRandom(key);
    double pareto = kind.min / Math.pow(1 - random.nextDouble(), 1 / kind.alpha);
    return (int) Math.min(kind.max, Math.round(pareto));
  }

  static String uniqueId(long key) {
    return UNIQUE_PREFIX + HexFormat.of().toHexDigits(key);
  }

  private static long keyOf(String uniqueId) {
    if (!uniqueId.startsWith(UNIQUE_PREFIX) || uniqueId.length() != UNIQUE_PREFIX.length() + 16) {
      throw new IllegalArgumentException("not a file of the simulated world: " + uniqueId);
    }
    return HexFormat.fromHexDigitsToLong(uniqueId.substring(UNIQUE_PREFIX.length()));
  }

  /** The file's bytes, the world's ground truth: a function of its unique id and size. */
  public static byte[] content(String uniqueId, int size) {
    byte[] bytes = new byte[size];
    new SplittableRandom(keyOf(uniqueId) ^ 0x0B17E5L).nextBytes(bytes);
    return bytes;
  }

  /** Whether the server lost the file: every download of it fails. */
  public static boolean isGone(String uniqueId) {
    return Texts.pick(Texts.hash(keyOf(uniqueId), 0x60_4EL), GONE_ONE_IN) == 0;
  }
}
