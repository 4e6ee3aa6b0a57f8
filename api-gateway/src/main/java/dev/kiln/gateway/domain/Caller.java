package dev.kiln.gateway.domain;

import java.util.Objects;

/**
 * Who is calling the API: the name of the token's owner, which becomes the owner of the builds it
 * submits, and its role.
 */
public record Caller(String name, Role role) {
  /** The farm's own services (workers calling {@code /internal/v1}), which may reach any build. */
  public static final Caller FARM = new Caller("kiln", Role.ADMIN);

  public Caller {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
  }

  public boolean isAdmin() {
    return role == Role.ADMIN;
  }

  /** Whether this caller may see, cancel or retry a build of {@code owner}. */
  public boolean mayAccess(String owner) {
    return isAdmin() || name.equals(owner);
  }
}
