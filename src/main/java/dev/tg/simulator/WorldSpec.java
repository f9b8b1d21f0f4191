package dev.tg.simulator;

import java.util.SplittableRandom;

/**
 * The shape of one simulated account's world; together with an epoch it determines every message.
 *
 * @param personalHistory history lengths of private, secret, basic and medium group chats
 * @param crowdHistory history lengths of large groups and channels
 * @param liveMessagesPerSecond live traffic after the epoch, over the whole world
 * @param editFraction share of live events that edit an earlier message
 * @param deleteFraction share of live events that permanently delete an earlier message
 * @param archivedChats private chats and basic groups in {@code chatListArchive}, not in the main list
 * @param foreignChats public channels the account is not in, known only as origins of forwarded messages
 */
public record WorldSpec(
    long seed,
    int directChats,
    int secretChats,
    int smallGroups,
    int mediumGroups,
    int largeGroups,
    int channels,
    boolean upgradedGroup,
    int contacts,
    HistoryLength personalHistory,
    HistoryLength crowdHistory,
    double liveMessagesPerSecond,
    double editFraction,
    double deleteFraction,
    int archivedChats,
    int foreignChats) {

  /** A heavy-tailed (Pareto) history length, capped. */
  public record HistoryLength(int min, double alpha, int max) {
    public HistoryLength {
      if (min < 1 || alpha <= 0 || max < min) {
        throw new IllegalArgumentException("need 1 <= min <= max and alpha > 0: " + min + ", " + alpha + ", " + max);
      }
    }

    int sample(SplittableRandom random) {
      double pareto = min / Math.pow(1 - random.nextDouble(), 1 / alpha);
      return (int) Math.min(max, Math.round(pareto));
    }
  }

  public WorldSpec {
    if (archivedChats < 0 || foreignChats < 0) {
      throw new IllegalArgumentException("chat counts can't be negative: " + archivedChats + ", " + foreignChats);
    }
    if (directChats < 1 && secretChats > 0) {
      throw new IllegalArgumentException("secret chats need a direct chat partner");
    }
    if (editFraction < 0 || deleteFraction < 0 || editFraction + deleteFraction > 1) {
      throw new IllegalArgumentException("edit and delete fractions must be shares of live traffic");
    }
  }

  /** A world with no archived and no foreign chats. */
  public WorldSpec(
      long seed, int directChats, int secretChats, int smallGroups, int mediumGroups, int largeGroups, int channels,
      boolean upgradedGroup, int contacts, HistoryLength personalHistory, HistoryLength crowdHistory,
      double liveMessagesPerSecond, double editFraction, double deleteFraction) {
    this(seed, directChats, secretChats, smallGroups, mediumGroups, largeGroups, channels, upgradedGroup, contacts,
        personalHistory, crowdHistory, liveMessagesPerSecond, editFraction, deleteFraction, 0, 0);
  }

  /** The {@code tg node --demo} world: about fifty chats, backfilled in a few minutes at 20 requests/s. */
  public static WorldSpec demo(long seed) {
    return new WorldSpec(
        seed, 15, 2, 10, 8, 5, 6, true, 40,
        new HistoryLength(400, 1.3, 5_000),
        new HistoryLength(5_000, 1.5, 50_000),
        0.5, 0.05, 0.02, 4, 3);
  }

  /** A small world for fast tests: one or more chats of every kind, a few to a few hundred messages each. */
  public static WorldSpec tiny(long seed) {
    return new WorldSpec(
        seed, 3, 1, 2, 2, 2, 2, true, 5,
        new HistoryLength(5, 1.2, 300),
        new HistoryLength(50, 1.5, 400),
        1.0, 0.1, 0.05, 2, 2);
  }

  public WorldSpec withLiveTraffic(double messagesPerSecond, double editFraction, double deleteFraction) {
    return new WorldSpec(
        seed, directChats, secretChats, smallGroups, mediumGroups, largeGroups, channels, upgradedGroup, contacts,
        personalHistory, crowdHistory, messagesPerSecond, editFraction, deleteFraction, archivedChats, foreignChats);
  }
}
