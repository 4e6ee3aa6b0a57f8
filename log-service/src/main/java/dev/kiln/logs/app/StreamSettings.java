package dev.kiln.logs.app;

import java.time.Duration;

/**
 * How live streams behave.
 *
 * @param pageSize lines read per database page
 * @param buffer messages buffered per stream before its client counts as too slow
 * @param finalSeqGrace how long to wait for the last line's seq after a build ended
 * @param endSettle how long to take late step events after the last line before ending
 * @param gapRetry the longest pause before reading again lines that are not stored yet
 * @param unknownBuildTimeout how long to wait for news of a build nothing is known about
 * @param sendTimeout how long a client may take to accept what was sent
 */
public record StreamSettings(
    int pageSize,
    int buffer,
    Duration finalSeqGrace,
    Duration endSettle,
    Duration gapRetry,
    Duration unknownBuildTimeout,
    Duration sendTimeout) {}
