package dev.kiln.worker.adapter.git;

import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jgit.lib.ProgressMonitor;

/** Counts the objects a fetch receives, and stops the fetch when the build is stopped. */
final class FetchProgress implements ProgressMonitor {
  private final AtomicBoolean stopped;
  private boolean receiving;
  private long received;

  FetchProgress(AtomicBoolean stopped) {
    this.stopped = stopped;
  }

  /** Objects received by fetches so far. */
  long objectsReceived() {
    return received;
  }

  @Override
  public void start(int totalTasks) {}

  @Override
  public void beginTask(String title, int totalWork) {
    receiving = title.startsWith("Receiving objects");
  }

  @Override
  public void update(int completed) {
    if (receiving) {
      received += completed;
    }
  }

  @Override
  public void endTask() {
    receiving = false;
  }

  @Override
  public boolean isCancelled() {
    return stopped.get();
  }

  @Override
  public void showDuration(boolean enabled) {}
}
