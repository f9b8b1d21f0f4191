package dev.tg.cli;

import io.nayuki.qrcodegen.QrCode;

/**
 * A {@code tg://login} link as a QR code in Unicode half blocks, two module rows per line (light modules drawn,
 * so it reads on a dark terminal background), like {@code qrencode -t UTF8}.
 */
final class LoginQr {
  private static final int QUIET_ZONE = 2;

  private LoginQr() {}

  static String render(String link) {
    QrCode qr = QrCode.encodeText(link, QrCode.Ecc.LOW);
    StringBuilder text = new StringBuilder();
    for (int y = -QUIET_ZONE; y < qr.size + QUIET_ZONE; y += 2) {
      for (int x = -QUIET_ZONE; x < qr.size + QUIET_ZONE; x++) {
        boolean top = !qr.getModule(x, y);
        boolean bottom = !qr.getModule(x, y + 1);
        text.append(top && bottom ? '█' : top ? '▀' : bottom ? '▄' : ' ');
      }
      text.append('\n');
    }
    return text.toString();
  }
}
