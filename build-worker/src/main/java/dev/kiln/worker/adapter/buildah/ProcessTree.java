package dev.kiln.worker.adapter.buildah;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops a process and everything it started. The tree is read before the first signal, because a
 * child whose parent died is no longer its descendant and would be missed afterwards.
 */
public final class ProcessTree {
  private ProcessTree() {}

  /**
   * Sends SIGTERM to {@code root} and all its descendants, waits up to {@code grace} for them to
   * exit, then sends SIGKILL to whatever is left, including children they started meanwhile.
   */
  public static void terminate(ProcessHandle root, Duration grace) {
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(root);
    root.descendants().forEach(tree::add);
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle process : tree) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        process.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (ExecutionException | TimeoutException e) {
        break;
      }
    }
    Set<ProcessHandle> remaining = new LinkedHashSet<>();
    for (ProcessHandle process : tree) {
      if (process.isAlive()) {
        remaining.add(process);
        process.descendants().forEach(remaining::add);
      }
    }
    remaining.forEach(ProcessHandle::destroyForcibly);
  }
}
