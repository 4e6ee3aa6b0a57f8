package dev.kiln.gateway.adapter.rest;

import dev.kiln.gateway.domain.Caller;
import dev.kiln.gateway.domain.Role;
import io.vertx.ext.web.RoutingContext;

/** The caller {@link AuthRoutes} found for a request. */
public final class Callers {
  static final String KEY = "kiln.caller";

  /** Who calls when authentication is turned off. */
  static final Caller ANONYMOUS = new Caller("anonymous", Role.ADMIN);

  private Callers() {}

  public static Caller of(RoutingContext routing) {
    Caller caller = routing.get(KEY);
    return caller == null ? ANONYMOUS : caller;
  }
}
