package dev.kiln.logs.adapter.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of every error answer.
 *
 * @param error a short code, such as {@code build_not_found}
 * @param message what was wrong, for a person
 * @param field the request part that was wrong, when one was
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String message, String field) {}
