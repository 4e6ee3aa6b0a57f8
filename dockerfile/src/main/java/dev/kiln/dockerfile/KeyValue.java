package dev.kiln.dockerfile;

/**
 * One {@code name=value} of ENV, LABEL or ARG, as written (quotes and variables not processed).
 *
 * @param key the name
 * @param value the value, or {@code null} for an ARG without a default
 */
public record KeyValue(String key, String value) {}
