package dev.kiln.gateway.adapter.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kiln.contracts.events.EventCodec;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The body of every error answer.
 *
 * @param error a stable code a program can test, such as {@code invalid_field}
 * @param message what was wrong, for a person
 * @param field the request field at fault, when there is one, such as {@code tags[0]}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String message, String field) {
  /** A JSON error answer. */
  public static Response response(int status, String error, String message, String field) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ApiError(error, message, field))
        .build();
  }

  /** Ends a Vert.x response with a JSON error, for the routes that are not JAX-RS resources. */
  public static void send(
      HttpServerResponse response, int status, String error, String message, String field) {
    String body;
    try {
      body = EventCodec.mapper().writeValueAsString(new ApiError(error, message, field));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an error record always serializes", e);
    }
    response.setStatusCode(status).putHeader("Content-Type", MediaType.APPLICATION_JSON).end(body);
  }
}
