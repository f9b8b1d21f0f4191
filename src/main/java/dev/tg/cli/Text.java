package dev.tg.cli;

/** Terminal columns of text: CJK and emoji take two, so tables with any script line up. */
final class Text {
  private Text() {}

  static int width(String text) {
    int width = 0;
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      width += columns(codePoint);
      i += Character.charCount(codePoint);
    }
    return width;
  }

  private static int columns(int codePoint) {
    int type = Character.getType(codePoint);
    if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT
        || codePoint == 0xFE0F) {
      return 0;
    }
    boolean wide = (codePoint >= 0x1100 && codePoint <= 0x115F)
        || (codePoint >= 0x2E80 && codePoint <= 0xA4CF && codePoint != 0x303F)
        || (codePoint >= 0xAC00 && codePoint <= 0xD7A3)
        || (codePoint >= 0xF900 && codePoint <= 0xFAFF)
        || (codePoint >= 0xFE30 && codePoint <= 0xFE4F)
        || (codePoint >= 0xFF00 && codePoint <= 0xFF60)
        || (codePoint >= 0xFFE0 && codePoint <= 0xFFE6)
        || (codePoint >= 0x1F300 && codePoint <= 0x1F64F)
        || (codePoint >= 0x1F900 && codePoint <= 0x1F9FF)
        || (codePoint >= 0x20000 && codePoint <= 0x3FFFD);
    return wide ? 2 : 1;
  }

  /** {@code text} cut to {@code width} columns (with an ellipsis) and padded to exactly that many. */
  static String fit(String text, int width) {
    String value = text == null ? "" : text.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    if (width(value) > width) {
      StringBuilder cut = new StringBuilder();
      int used = 0;
      for (int i = 0; i < value.length(); ) {
        int codePoint = value.codePointAt(i);
        if (used + columns(codePoint) > width - 1) {
          break;
        }
        cut.appendCodePoint(codePoint);
        used += columns(codePoint);
        i += Character.charCount(codePoint);
      }
      value = cut + "…";
    }
    return value + " ".repeat(Math.max(0, width - width(value)));
  }

  /** One line of text: newlines shown as spaces. */
  static String oneLine(String text) {
    return text == null ? "" : text.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
  }
}
