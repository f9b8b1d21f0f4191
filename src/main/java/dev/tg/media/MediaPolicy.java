package dev.tg.media;

import dev.tg.config.MediaSettings;
import java.util.Comparator;
import java.util.List;

/** Which file of a message is downloaded, by its chat's tier and the file's kind and size (tg.media.policy). */
final class MediaPolicy {
  /** The file chosen, or the one left out and why ({@code skipReason} non-null). */
  record Decision(MediaContent.File file, String skipReason) {
    boolean fetch() {
      return skipReason == null;
    }
  }

  private final MediaSettings settings;

  MediaPolicy(MediaSettings settings) {
    this.settings = settings;
  }

  /** {@code files} as {@link MediaContent#files} gives them, non-empty; {@code tier} 1..4. */
  Decision decide(int tier, List<MediaContent.File> files) {
    String tierName = "P" + tier;
    MediaContent.File largest = largest(files);
    long cap = settings.cap(tierName, largest.kind());
    if (cap == 0) {
      return new Decision(largest, largest.kind() + " off for " + tierName);
    }
    // a photo's largest size up to the cap
    return files.stream()
        .filter(file -> file.size() <= cap)
        .max(Comparator.comparingLong(MediaContent.File::size))
        .map(file -> new Decision(file, null))
        .orElseGet(() -> new Decision(largest,
            largest.kind() + " of " + largest.size() + " bytes over the " + tierName + " cap of " + cap));
  }

  /** A chat whose media the user asked for ({@code tg sync --media}): every file, a photo's largest size. */
  static Decision everything(List<MediaContent.File> files) {
    return new Decision(largest(files), null);
  }

  private static MediaContent.File largest(List<MediaContent.File> files) {
    return files.stream().max(Comparator.comparingLong(MediaContent.File::size)).orElseThrow();
  }
}
