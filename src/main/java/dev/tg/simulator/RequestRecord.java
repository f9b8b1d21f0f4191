package dev.tg.simulator;

import java.time.Instant;

/**
 * One request the simulated TDLib received.
 *
 * @param chatId 0 if the request names no chat
 * @param outcome {@code ok}, {@code error <code> <message>}, {@code timeout}, {@code pending}, or {@code ok after
 *     flood wait <n>s}
 */
public record RequestRecord(
    Instant sentAt, int clientId, String type, long chatId, long fromMessageId, int offset, int limit, String outcome) {

  RequestRecord withOutcome(String newOutcome) {
    return new RequestRecord(sentAt, clientId, type, chatId, fromMessageId, offset, limit, newOutcome);
  }
}
