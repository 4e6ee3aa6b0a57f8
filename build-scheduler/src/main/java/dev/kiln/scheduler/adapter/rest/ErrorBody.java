package dev.kiln.scheduler.adapter.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The JSON body of every error this service answers with.
 *
 * @param error a short code
 * @param message what was wrong
 * @param field the field it was wrong in, when one was
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String error, String message, String field) {}
