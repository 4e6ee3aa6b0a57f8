package dev.kiln.contracts.events;

/**
 * Someone asked to cancel a build.
 *
 * @param requestedBy who asked
 * @param reason free text shown with the cancelled build, may be {@code null}
 */
public record CancelRequested(String requestedBy, String reason) implements Event {}
