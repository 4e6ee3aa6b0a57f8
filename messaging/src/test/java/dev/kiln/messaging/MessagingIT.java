package dev.kiln.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.contracts.BuildIds;
import dev.kiln.contracts.events.BuildAccepted;
import dev.kiln.contracts.events.Envelope;
import dev.kiln.contracts.events.EventCodec;
import dev.kiln.testing.KilnInfrastructure;
import dev.kiln.testing.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class MessagingIT {
  private static String bootstrap;
  private static DataSource dataSource;

  @BeforeAll
  static void infrastructure() throws SQLException {
    bootstrap = KilnInfrastructure.broker().bootstrapServers();
    TopicAdmin.ensureTopics(bootstrap, 4, (short) 1);
    PostgresServer postgres = KilnInfrastructure.postgres();
    PGSimpleDataSource pg = new PGSimpleDataSource();
    pg.setUrl(postgres.jdbcUrl());
    pg.setUser(postgres.user());
    pg.setPassword(postgres.password());
    dataSource = pg;
    try (Connection c = dataSource.getConnection()) {
      c.createStatement().execute("create schema if not exists relaytest");
      c.createStatement()
          .execute(
              "create table if not exists relaytest.outbox (id bigserial primary key,"
                  + " topic text not null, record_key text not null, payload bytea not null)");
      c.createStatement()
          .execute("create table if not exists relaytest.inbox (event_id uuid primary key)");
    }
  }

  @Test
  void outboxRowsArePublishedInOrderAndDeleted() throws Exception {
    String buildId = BuildIds.newId();
    List<Integer> attemptsSeen = new CopyOnWriteArrayList<>();
    Outbox outbox = new Outbox("relaytest.outbox");
    try (EventPublisher publisher =
            new EventPublisher(KafkaClients.producerConfig(bootstrap, "relay-test"));
        EventConsumer consumer =
            new EventConsumer(
                "order-test",
                KafkaClients.consumerConfig(bootstrap, "order-" + UUID.randomUUID(), "c", true),
                List.of("kiln.build.reports.v1"),
                events ->
                    events.stream()
                        .filter(e -> buildId.equals(e.envelope().buildId()))
                        .forEach(
                            e ->
                                attemptsSeen.add(
                                    ((BuildAccepted) e.envelope().payload()).attempt())));
        OutboxRelay relay =
            new OutboxRelay(dataSource, outbox, 42, publisher, Duration.ofMillis(50))) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        for (int attempt = 1; attempt <= 50; attempt++) {
          outbox.append(c, Envelope.of(buildId, new BuildAccepted("w1", attempt)));
        }
        c.commit();
      }
      consumer.start();
      relay.start();
      relay.wakeUp();

      await().atMost(Duration.ofSeconds(30)).until(() -> attemptsSeen.size() >= 50);
      assertThat(attemptsSeen).isSorted().hasSize(50);
      assertThat(count("select count(*) from relaytest.outbox")).isZero();
    }
  }

  @Test
  void eventsAppendedAtOnceKeepTheirOrder() throws Exception {
    String buildId = BuildIds.newId();
    Outbox outbox = new Outbox("relaytest.outbox");
    List<Envelope> envelopes = new ArrayList<>();
    for (int attempt = 1; attempt <= 20; attempt++) {
      envelopes.add(Envelope.of(buildId, new BuildAccepted("w1", attempt)));
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      outbox.appendAll(c, envelopes);
      c.commit();
    }
    List<Integer> stored = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        ResultSet rows =
            c.createStatement()
                .executeQuery(
                    "select payload from relaytest.outbox where record_key = '"
                        + buildId
                        + "' order by id")) {
      while (rows.next()) {
        stored.add(
            ((BuildAccepted) EventCodec.decode(rows.getBytes(1)).orElseThrow().payload())
                .attempt());
      }
    }
    assertThat(stored).isSorted().hasSize(20);
  }

  @Test
  void inboxRecordsABatchAndNamesOnlyTheEventsItHadNotSeen() throws Exception {
    Inbox inbox = new Inbox("relaytest.inbox");
    UUID seen = UUID.randomUUID();
    UUID fresh = UUID.randomUUID();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      assertThat(inbox.firstDelivery(c, seen)).isTrue();
      assertThat(inbox.firstDeliveries(c, List.of(seen, fresh))).containsExactly(fresh);
      assertThat(inbox.firstDeliveries(c, List.of(seen, fresh))).isEmpty();
      c.commit();
    }
  }

  @Test
  void rolledBackRowsAreNeverPublished() throws Exception {
    String buildId = BuildIds.newId();
    Outbox outbox = new Outbox("relaytest.outbox");
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      outbox.append(c, Envelope.of(buildId, new BuildAccepted("w1", 1)));
      c.rollback();
    }
    assertThat(count("select count(*) from relaytest.outbox where record_key = '" + buildId + "'"))
        .isZero();
  }

  @Test
  void failedBatchIsDeliveredAgainAndInboxDropsRepeats() throws Exception {
    String buildId = BuildIds.newId();
    Inbox inbox = new Inbox("relaytest.inbox");
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger applied = new AtomicInteger();
    try (EventPublisher publisher =
            new EventPublisher(KafkaClients.producerConfig(bootstrap, "retry-test"));
        EventConsumer consumer =
            new EventConsumer(
                "retry-test",
                KafkaClients.consumerConfig(bootstrap, "retry-" + UUID.randomUUID(), "c", true),
                List.of("kiln.build.reports.v1"),
                events -> {
                  try (Connection c = dataSource.getConnection()) {
                    c.setAutoCommit(false);
                    for (ReceivedEvent event : events) {
                      if (buildId.equals(event.envelope().buildId())
                          && inbox.firstDelivery(c, event.envelope().eventId())) {
                        applied.incrementAndGet();
                      }
                    }
                    if (calls.incrementAndGet() == 1) {
                      c.commit(); // stored, but the batch fails before its offsets are committed
                      throw new IllegalStateException("simulated crash after the write");
                    }
                    c.commit();
                  }
                })) {
      Envelope sent = Envelope.of(buildId, new BuildAccepted("w1", 1));
      publisher.publishAndWait(sent, Duration.ofSeconds(30));
      consumer.start();

      await().atMost(Duration.ofSeconds(30)).until(() -> calls.get() >= 2);
      assertThat(applied.get()).isEqualTo(1);
    }
  }

  @Test
  void recordsWhoseKeyTheFilterRefusesAreNotHandedOver() throws Exception {
    String wanted = BuildIds.newId();
    String other = BuildIds.newId();
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (EventPublisher publisher =
            new EventPublisher(KafkaClients.producerConfig(bootstrap, "filter-test"));
        EventConsumer consumer =
            new EventConsumer(
                "filter-test",
                KafkaClients.consumerConfig(bootstrap, "filter-" + UUID.randomUUID(), "c", true),
                List.of("kiln.build.reports.v1"),
                key -> key.equals(wanted),
                events -> events.forEach(e -> seen.add(e.envelope().buildId())))) {
      publisher.publishAndWait(
          Envelope.of(other, new BuildAccepted("w1", 1)), Duration.ofSeconds(30));
      publisher.publishAndWait(
          Envelope.of(wanted, new BuildAccepted("w1", 1)), Duration.ofSeconds(30));
      publisher.publishAndWait(
          Envelope.of(other, new BuildAccepted("w1", 2)), Duration.ofSeconds(30));
      publisher.publishAndWait(
          Envelope.of(wanted, new BuildAccepted("w1", 2)), Duration.ofSeconds(30));
      consumer.start();

      await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() >= 2);
      assertThat(seen).containsOnly(wanted);
    }
  }

  private static long count(String sql) throws SQLException {
    try (Connection c = dataSource.getConnection();
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
