package dev.kiln.messaging;

import java.lang.System.Logger.Level;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Publishes what an {@link Outbox} holds, oldest first, and deletes each row once the broker
 * acknowledged it. One relay works at a time across all instances of a service (a PostgreSQL
 * advisory lock), which keeps every key's events in the order they were written. A crash between
 * publish and delete publishes a row again; consumers drop the repeat by its event id.
 */
public final class OutboxRelay implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(OutboxRelay.class.getName());
  private static final int BATCH = 500;

  private final DataSource dataSource;
  private final Outbox outbox;
  private final long lockKey;
  private final EventPublisher publisher;
  private final Duration pollInterval;
  private final Semaphore wakeUps = new Semaphore(0);
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * @param lockKey the advisory lock that elects one relay per outbox table
   * @param pollInterval how often to look for rows written by other instances
   */
  public OutboxRelay(
      DataSource dataSource,
      Outbox outbox,
      long lockKey,
      EventPublisher publisher,
      Duration pollInterval) {
    this.dataSource = dataSource;
    this.outbox = outbox;
    this.lockKey = lockKey;
    this.publisher = publisher;
    this.pollInterval = pollInterval;
    this.thread =
        Thread.ofPlatform().daemon().name("outbox-relay-" + outbox.table()).unstarted(this::run);
  }

  public void start() {
    thread.start();
  }

  /** Tells the relay that rows were just committed, so it publishes them without waiting. */
  public void wakeUp() {
    wakeUps.release();
  }

  private void run() {
    Duration backoff = Duration.ofMillis(100);
    while (running) {
      try {
        int published = relayBatch();
        backoff = Duration.ofMillis(100);
        if (published < BATCH) {
          wakeUps.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
          wakeUps.drainPermits();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        if (!running) {
          return;
        }
        LOG.log(Level.WARNING, "outbox " + outbox.table() + " not relayed, retrying: " + e);
        sleep(backoff);
        backoff =
            backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0
                ? Duration.ofSeconds(5)
                : backoff.multipliedBy(2);
      }
    }
  }

  /** Publishes one batch; returns how many rows it published. */
  int relayBatch() throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        if (!leads(connection)) {
          connection.rollback();
          return 0;
        }
        List<Long> ids = new ArrayList<>();
        List<CompletableFuture<?>> acks = new ArrayList<>();
        try (PreparedStatement select =
            connection.prepareStatement(
                "select id, topic, record_key, payload from "
                    + outbox.table()
                    + " order by id limit "
                    + BATCH)) {
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              ids.add(rows.getLong(1));
              acks.add(publisher.send(rows.getString(2), rows.getString(3), rows.getBytes(4)));
            }
          }
        }
        if (ids.isEmpty()) {
          connection.commit();
          return 0;
        }
        publisher.flush();
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        try (PreparedStatement delete =
            connection.prepareStatement("delete from " + outbox.table() + " where id = any(?)")) {
          Array array = connection.createArrayOf("bigint", ids.toArray());
          delete.setArray(1, array);
          delete.executeUpdate();
        }
        connection.commit();
        return ids.size();
      } catch (Exception e) {
        connection.rollback();
        throw e;
      }
    }
  }

  private boolean leads(Connection connection) throws SQLException {
    try (PreparedStatement lock =
        connection.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
      lock.setLong(1, lockKey);
      try (ResultSet result = lock.executeQuery()) {
        result.next();
        return result.getBoolean(1);
      }
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    wakeUps.release();
    try {
      thread.join(10_000);
      if (thread.isAlive()) {
        thread.interrupt();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
