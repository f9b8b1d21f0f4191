package dev.tg.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The audit's search against a model chat: TDLib's pages answered from a known set of server messages. */
class HoleSearchTest {

  private static long id(long serverId) {
    return serverId << 20;
  }

  /** Runs the search to its end with pages of at most {@code page}; returns it. */
  private static HoleSearch run(HoleSearch search, TreeSet<Long> server, int page) {
    for (long from = search.nextFrom(); from != 0; from = search.nextFrom()) {
      List<Long> answer = new ArrayList<>(server.headSet(from, false).descendingSet()).subList(0,
          Math.min(page, server.headSet(from, false).size()));
      search.answered(answer, answer.isEmpty() ? 0 : answer.get(answer.size() - 1));
    }
    return search;
  }

  private static TreeSet<Long> ids(LongStream serverIds) {
    TreeSet<Long> ids = new TreeSet<>();
    serverIds.forEach(serverId -> ids.add(id(serverId)));
    return ids;
  }

  @Test
  void aSupergroupsGapsAreAskedAndOnlyTheMissingMessagesAreHoles() {
    TreeSet<Long> server = ids(LongStream.rangeClosed(1, 1000).filter(serverId -> serverId % 97 != 0));
    TreeSet<Long> archived = new TreeSet<>(server);
    List<Long> removed = List.of(id(10), id(11), id(500), id(1000));
    removed.forEach(archived::remove);
    HoleSearch search = run(HoleSearch.of(archived.stream().mapToLong(Long::longValue).toArray(), 0, id(1000),
        true, 200), server, 100);
    assertThat(search.missing()).containsExactlyElementsOf(removed);
    assertThat(search.holes()).extracting(AuditReport.Hole::count).containsExactly(2, 1, 1);
    assertThat(search.exhaustive()).isTrue();
    assertThat(search.requests()).as("a page per suspect gap (deletions included), not a page per 100 messages")
        .isLessThanOrEqualTo(13);
  }

  @Test
  void anIntactPrivateChatIsPagedThroughWithinItsCoveredRangeAndHasNoHole() {
    TreeSet<Long> server = ids(LongStream.rangeClosed(1, 450).map(n -> n * 7));
    long[] archived = server.tailSet(id(700)).stream().mapToLong(Long::longValue).toArray();
    HoleSearch search = run(HoleSearch.of(archived, id(700), id(3150), false, 200), server, 100);
    assertThat(search.missing()).isEmpty();
    assertThat(search.exhaustive()).isTrue();
    assertThat(search.requests()).isEqualTo(4);
  }

  @Test
  void theBudgetStopsTheSearchAndSaysSo() {
    TreeSet<Long> server = ids(LongStream.rangeClosed(1, 1000));
    HoleSearch search = run(HoleSearch.of(new long[0], 0, id(1000), false, 3), server, 100);
    assertThat(search.requests()).isEqualTo(3);
    assertThat(search.exhaustive()).isFalse();
    assertThat(search.missing()).hasSize(300);
  }
}
