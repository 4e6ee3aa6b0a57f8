package dev.kiln.scheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.contracts.spec.BuildSource;
import dev.kiln.contracts.spec.BuildSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FairShareTest {
  private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
  private final FairShare fairShare = new FairShare(Duration.ofMinutes(1));

  @Test
  void ownerWithOneBuildGetsOneOfTheFirstTwoSlotsAgainstAnOwnerWithFiveHundred() {
    List<Build> queued = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      queued.add(build("a" + i, "alice", 0, T0.plusMillis(i)));
    }
    queued.add(build("b0", "bob", 0, T0.plusSeconds(60)));

    List<String> order = offers(fairShare.round(queued, Map.of(), T0.plusSeconds(61)), 2);

    assertThat(order).contains("b0");
  }

  @Test
  void ownerWithFewerRunningBuildsGoesFirst() {
    List<Build> queued =
        List.of(build("a1", "alice", 0, T0), build("b1", "bob", 0, T0.plusSeconds(5)));
    // Bob was served more recently, but holds fewer slots: the share comes first.
    Map<String, FairShare.OwnerLoad> loads =
        Map.of(
            "alice", new FairShare.OwnerLoad("alice", 3, T0),
            "bob", new FairShare.OwnerLoad("bob", 1, T0.plusSeconds(9)));

    assertThat(offers(fairShare.round(queued, loads, T0.plusSeconds(10)), 2))
        .containsExactly("b1", "a1");
  }

  @Test
  void slotsAlternateBetweenOwnersWithEqualShares() {
    List<Build> queued = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      queued.add(build("a" + i, "alice", 0, T0.plusMillis(i)));
      queued.add(build("b" + i, "bob", 0, T0.plusMillis(10 + i)));
    }

    assertThat(offers(fairShare.round(queued, Map.of(), T0), 6))
        .containsExactly("a0", "b0", "a1", "b1", "a2", "b2");
  }

  @Test
  void onATieTheOwnerServedLeastRecentlyGoesFirst() {
    List<Build> queued = List.of(build("a1", "alice", 0, T0), build("b1", "bob", 0, T0));
    Map<String, FairShare.OwnerLoad> loads =
        Map.of(
            "alice", new FairShare.OwnerLoad("alice", 0, T0.plusSeconds(2)),
            "bob", new FairShare.OwnerLoad("bob", 0, T0.plusSeconds(1)));

    assertThat(offers(fairShare.round(queued, loads, T0.plusSeconds(3)), 1)).containsExactly("b1");
  }

  @Test
  void singleSlotThatFreesAfterEveryBuildIsSharedInTurns() {
    // One slot; each build finishes before the next round, so both owners always run nothing and
    // only the time of their last service tells them apart.
    List<Build> queued = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      queued.add(build("a" + i, "alice", 0, T0));
    }
    queued.add(build("b0", "bob", 0, T0.plusSeconds(1)));
    queued.add(build("b1", "bob", 0, T0.plusSeconds(1)));
    Map<String, FairShare.OwnerLoad> loads = new HashMap<>();
    List<String> served = new ArrayList<>();
    Instant now = T0.plusSeconds(2);
    for (int round = 0; round < 4; round++) {
      FairShare.Round r = fairShare.round(queued, loads, now);
      Build next = r.next().orElseThrow();
      served.add(next.id());
      queued.remove(next);
      loads.put(next.owner(), new FairShare.OwnerLoad(next.owner(), 0, now));
      now = now.plusSeconds(1);
    }

    assertThat(served).containsExactly("a0", "b0", "a1", "b1");
  }

  @Test
  void withinAnOwnerHigherPriorityGoesFirstThenTheOlderBuild() {
    List<Build> queued =
        List.of(
            build("old-low", "alice", 0, T0),
            build("new-high", "alice", 5, T0.plusSeconds(10)),
            build("older-high", "alice", 5, T0.plusSeconds(5)));

    assertThat(offers(fairShare.round(queued, Map.of(), T0.plusSeconds(11)), 3))
        .containsExactly("older-high", "new-high", "old-low");
  }

  @Test
  void priorityDoesNotBuyALargerShareThanOtherOwners() {
    List<Build> queued =
        List.of(
            build("a-urgent", "alice", 100, T0),
            build("a-urgent-2", "alice", 100, T0),
            build("b-plain", "bob", 0, T0.plusSeconds(1)));

    assertThat(offers(fairShare.round(queued, Map.of(), T0.plusSeconds(2)), 2))
        .containsExactly("a-urgent", "b-plain");
  }

  @Test
  void agingLetsAnOldLowPriorityBuildOvertakeNewerHighPriorityOnes() {
    Build old = build("old", "alice", 0, T0);
    Build fresh = build("fresh", "alice", 3, T0.plusSeconds(170));

    assertThat(fairShare.effectivePriority(old, T0.plusSeconds(179))).isEqualTo(2);
    assertThat(offers(fairShare.round(List.of(old, fresh), Map.of(), T0.plusSeconds(179)), 1))
        .containsExactly("fresh");
    assertThat(fairShare.effectivePriority(old, T0.plusSeconds(240))).isEqualTo(4);
    assertThat(offers(fairShare.round(List.of(old, fresh), Map.of(), T0.plusSeconds(240)), 1))
        .containsExactly("old");
  }

  @Test
  void skippedBuildLetsItsOwnersNextBuildTryWithoutLosingTheTurn() {
    List<Build> queued =
        List.of(
            build("a-stuck", "alice", 1, T0),
            build("a-next", "alice", 0, T0),
            build("b1", "bob", 0, T0.plusSeconds(1)));
    FairShare.Round round = fairShare.round(queued, Map.of(), T0.plusSeconds(2));

    Build first = round.next().orElseThrow();
    round.skipped(first);

    assertThat(first.id()).isEqualTo("a-stuck");
    assertThat(round.next().map(Build::id)).contains("a-next");
  }

  @Test
  void roundEndsWhenEveryBuildHadItsOffer() {
    FairShare.Round round = fairShare.round(List.of(build("a1", "alice", 0, T0)), Map.of(), T0);
    round.placed(round.next().orElseThrow());

    assertThat(round.next()).isEmpty();
  }

  /** Offers up to {@code slots} slots, each taken by the build offered it. */
  private static List<String> offers(FairShare.Round round, int slots) {
    List<String> ids = new ArrayList<>();
    Optional<Build> next;
    while (ids.size() < slots && (next = round.next()).isPresent()) {
      round.placed(next.get());
      ids.add(next.get().id());
    }
    return ids;
  }

  private static Build build(String id, String owner, int priority, Instant queuedAt) {
    BuildSpec spec =
        new BuildSpec(
            BuildSource.ofDockerfile("FROM scratch"),
            null,
            null,
            null,
            null,
            false,
            null,
            null,
            null,
            priority,
            null);
    return Build.submitted(id, owner, spec, queuedAt, queuedAt);
  }
}
