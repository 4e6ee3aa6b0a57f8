package dev.kiln.gateway.adapter.rest;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Answers paths under the API that nothing serves with a JSON 404, not an HTML page. */
@ApplicationScoped
public class UnknownApiRoutes {
  /**
   * Quarkus REST serves its resources at {@code ROUTE_ORDER_AFTER_DEFAULT + 500}; this comes after.
   */
  private static final int AFTER_REST = RouteConstants.ROUTE_ORDER_AFTER_DEFAULT + 1_000;

  void install(@Observes Router router) {
    for (String prefix : new String[] {"/api/*", "/internal/*"}) {
      router
          .route(prefix)
          .order(AFTER_REST)
          .handler(
              rc ->
                  ApiError.send(
                      rc.response(),
                      404,
                      "not_found",
                      "nothing is served at " + rc.request().method() + " " + rc.request().path(),
                      null));
    }
  }
}
