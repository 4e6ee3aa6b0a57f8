package dev.kiln.logs.app;

import dev.kiln.logs.domain.LogBatch;

/** Stores batches of log events. */
public interface LogWriter {

  /**
   * Stores a whole batch in one transaction. Storing the same events again changes nothing: lines
   * are unique by build, attempt and seq, steps by build, attempt, step and kind, and a status only
   * replaces an older one.
   *
   * @throws LogStoreException when the store failed; nothing of the batch is stored then
   */
  void store(LogBatch batch);
}
