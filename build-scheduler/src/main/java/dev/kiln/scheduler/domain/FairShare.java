package dev.kiln.scheduler.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * The order in which queued builds are offered a slot: the farm is shared fairly between owners,
 * and each owner's priorities order only that owner's builds.
 *
 * <ol>
 *   <li>The next slot goes to the owner with the fewest builds assigned or running; a tie goes to
 *       the owner served least recently (never served counts as longest ago), then by name.
 *   <li>Within an owner, the build with the highest effective priority goes first, then the one
 *       queued first. The effective priority is the submitted priority plus one for every full
 *       {@code aging} the build has waited since it first entered the queue, so an old low-priority
 *       build overtakes a stream of newer high-priority ones of the same owner.
 * </ol>
 *
 * An owner submitting 500 builds thus holds at most one more slot than an owner submitting one, as
 * long as the latter has builds queued, and priorities cannot buy a larger share of the farm.
 */
public final class FairShare {
  private final Duration aging;

  /**
   * @param aging the wait that raises a queued build's effective priority by one
   */
  public FairShare(Duration aging) {
    if (aging.isNegative() || aging.isZero()) {
      throw new IllegalArgumentException("aging must be positive, not " + aging);
    }
    this.aging = aging;
  }

  /** The wait that raises a queued build's effective priority by one. */
  public Duration aging() {
    return aging;
  }

  /** The build's priority with its age added. */
  public long effectivePriority(Build build, Instant now) {
    long waitedMillis = Math.max(0, Duration.between(build.queuedAt(), now).toMillis());
    return build.spec().priority() + waitedMillis / aging.toMillis();
  }

  /** The order of one owner's builds: effective priority, then first queued, then id. */
  public Comparator<Build> withinOwner(Instant now) {
    return Comparator.<Build>comparingLong(b -> -effectivePriority(b, now))
        .thenComparing(Build::queuedAt)
        .thenComparing(Build::id);
  }

  /**
   * What an owner holds of the farm now.
   *
   * @param owner the owner
   * @param active its builds assigned or running
   * @param lastServed when one of its builds was last assigned, {@code null} for never
   */
  public record OwnerLoad(String owner, int active, Instant lastServed) {
    public OwnerLoad {
      Objects.requireNonNull(owner, "owner");
    }
  }

  /**
   * Starts a round of assignment over some queued builds.
   *
   * @param queued the builds to offer slots to, of any owners
   * @param loads what each owner holds now; an owner missing here holds nothing
   */
  public Round round(Collection<Build> queued, Map<String, OwnerLoad> loads, Instant now) {
    return new Round(queued, loads, now);
  }

  /**
   * One round: {@link #next()} names the build to offer a slot to; the caller then says whether it
   * was {@link #placed} or {@link #skipped}, and asks again.
   */
  public final class Round {
    private final Map<String, Deque<Build>> queues = new HashMap<>();
    private final Map<String, OwnerState> owners = new HashMap<>();
    private final PriorityQueue<OwnerState> turn =
        new PriorityQueue<>(
            Comparator.comparingInt(OwnerState::active)
                .thenComparing(
                    OwnerState::lastServed, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(OwnerState::owner));
    private final Instant now;
    private long served;

    private Round(Collection<Build> queued, Map<String, OwnerLoad> loads, Instant now) {
      this.now = now;
      Map<String, List<Build>> byOwner = new HashMap<>();
      for (Build build : queued) {
        byOwner.computeIfAbsent(build.owner(), o -> new ArrayList<>()).add(build);
      }
      byOwner.forEach(
          (owner, builds) -> {
            builds.sort(withinOwner(now));
            queues.put(owner, new ArrayDeque<>(builds));
            OwnerLoad load = loads.getOrDefault(owner, new OwnerLoad(owner, 0, null));
            OwnerState state = new OwnerState(owner, load.active(), load.lastServed());
            owners.put(owner, state);
            turn.add(state);
          });
    }

    /** The build to offer the next slot to, or empty when every build had its offer. */
    public Optional<Build> next() {
      OwnerState first = turn.peek();
      return first == null ? Optional.empty() : Optional.of(queues.get(first.owner()).peekFirst());
    }

    /** The build got a slot: its owner now holds one more and was served just now. */
    public void placed(Build build) {
      OwnerState before = take(build);
      // Later than anything served before this round, and in the order served within it.
      requeue(new OwnerState(before.owner(), before.active() + 1, now.plusNanos(++served)), build);
    }

    /** The build cannot go anywhere now; its owner's next build is offered instead. */
    public void skipped(Build build) {
      requeue(take(build), build);
    }

    private OwnerState take(Build build) {
      OwnerState state = owners.get(build.owner());
      Build head = queues.get(build.owner()).peekFirst();
      if (head == null || !head.id().equals(build.id())) {
        throw new IllegalArgumentException(
            "build " + build.id() + " is not the one this round offered a slot to");
      }
      turn.remove(state);
      queues.get(build.owner()).pollFirst();
      return state;
    }

    private void requeue(OwnerState state, Build build) {
      owners.put(build.owner(), state);
      if (!queues.get(build.owner()).isEmpty()) {
        turn.add(state);
      }
    }
  }

  private record OwnerState(String owner, int active, Instant lastServed) {}
}
