package dev.kiln.gateway.adapter.rest;

/**
 * The optional body of {@code POST /api/v1/builds/{id}/cancel}.
 *
 * @param reason shown with the cancelled build
 */
public record CancelRequest(String reason) {}
