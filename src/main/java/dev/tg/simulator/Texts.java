package dev.tg.simulator;

import java.util.ArrayList;
import java.util.List;

/** Deterministic words, sentences and names in several scripts, so text handling meets more than ASCII. */
final class Texts {
  private static final List<List<String>> SCRIPTS = List.of(
      List.of("the", "sync", "meeting", "tomorrow", "photo", "release", "coffee", "train", "ok", "thanks", "project",
          "weekend", "deploy", "music", "idea", "lunch", "question", "great", "link", "plan", "see", "you", "later"),
      List.of("привет", "завтра", "встреча", "спасибо", "хорошо", "проект", "работа", "фото", "вечер", "дом", "поезд",
          "кофе", "музыка", "идея", "вопрос", "да", "нет", "скоро"),
      List.of("你好", "明天", "会议", "谢谢", "照片", "项目", "周末", "音乐", "问题", "计划", "こんにちは", "ありがとう",
          "写真", "駅"));
  private static final List<String> EMOJI = List.of("👍", "😂", "🎉", "🙏", "🔥", "❤️");
  private static final List<String> FIRST_NAMES = List.of(
      "Anna", "Ben", "Chloe", "David", "Elif", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Анна", "Борис", "Вера",
      "Глеб", "Дарья", "明", "芳", "Yuki", "Sakura", "Lukas", "Maya", "Noah", "Olga", "Pavel");
  private static final List<String> LAST_NAMES = List.of(
      "Smith", "Müller", "García", "Rossi", "Dubois", "Nowak", "Иванова", "Петров", "Соколов", "王", "李", "Tanaka",
      "Suzuki", "", "Kim", "Silva", "O'Brien");

  private Texts() {}

  /** Mixes numbers into one well-spread 64-bit hash (SplitMix64 finaliser over each part). */
  static long hash(long... parts) {
    long h = 0x9E3779B97F4A7C15L;
    for (long part : parts) {
      h = mix(h ^ mix(part + 0x632BE59BD9B4E019L));
    }
    return h;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A number in [0, bound) taken from a hash. */
  static int pick(long hash, int bound) {
    return (int) Math.floorMod(hash, (long) bound);
  }

  /** A sentence of 1..24 words, mostly in one script, sometimes with an emoji. */
  static String sentence(long hash) {
    String text = words(hash, 1 + pick(hash >>> 8, 24));
    return pick(hash >>> 20, 5) == 0 ? text + ' ' + EMOJI.get(pick(hash >>> 24, EMOJI.size())) : text;
  }

  /** A title of one to three words, capitalised. */
  static String title(long hash) {
    String text = words(hash, 1 + pick(hash >>> 8, 3));
    return text.substring(0, 1).toUpperCase() + text.substring(1);
  }

  private static String words(long hash, int count) {
    List<String> script = SCRIPTS.get(pick(hash, SCRIPTS.size()));
    boolean spaced = script != SCRIPTS.get(2);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      long wordHash = hash(hash, i);
      // one word in ten comes from another script
      List<String> vocabulary = pick(wordHash, 10) == 0 ? SCRIPTS.get(pick(wordHash >>> 4, SCRIPTS.size())) : script;
      if (i > 0 && spaced) {
        text.append(' ');
      }
      text.append(vocabulary.get(pick(wordHash >>> 12, vocabulary.size())));
    }
    return text.toString();
  }

  /** A link to an article, to put in a text. */
  static String link(long hash) {
    return "https://example.org/p/" + Long.toString(hash >>> 28, 36);
  }

  /** Where the links are in a text: {offset, length} pairs, in UTF-16 units as TDLib's entities count. */
  static List<int[]> links(String text) {
    List<int[]> links = new ArrayList<>();
    for (int start = text.indexOf("http"); start >= 0; start = text.indexOf("http", start + 1)) {
      boolean atWordStart = start == 0 || Character.isWhitespace(text.charAt(start - 1));
      if (atWordStart && (text.startsWith("https://", start) || text.startsWith("http://", start))) {
        int end = start;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
          end++;
        }
        links.add(new int[] {start, end - start});
        start = end;
      }
    }
    return links;
  }

  /** The first link in a text, or null. */
  static String firstLink(String text) {
    List<int[]> links = links(text);
    return links.isEmpty() ? null : text.substring(links.get(0)[0], links.get(0)[0] + links.get(0)[1]);
  }

  static String firstName(long hash) {
    return FIRST_NAMES.get(pick(hash, FIRST_NAMES.size()));
  }

  static String lastName(long hash) {
    return LAST_NAMES.get(pick(hash >>> 16, LAST_NAMES.size()));
  }
}
