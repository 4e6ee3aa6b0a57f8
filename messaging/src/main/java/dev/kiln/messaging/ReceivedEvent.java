package dev.kiln.messaging;

import dev.kiln.contracts.events.Envelope;

/**
 * An event as read from Kafka, with where it was read.
 *
 * @param envelope the decoded record
 * @param topic its topic
 * @param partition its partition
 * @param offset its offset in that partition
 */
public record ReceivedEvent(Envelope envelope, String topic, int partition, long offset) {}
