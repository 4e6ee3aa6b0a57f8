package dev.kiln.gateway.domain;

import java.util.Locale;

/** What a token may do. */
public enum Role {
  /** Sees every build and manages tokens. */
  ADMIN,
  /** Sees, cancels and retries only the builds it submitted. */
  USER;

  /** The lower-case name used in the API and the database. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads {@code admin} or {@code user}. */
  public static Role parse(String text) {
    for (Role role : values()) {
      if (role.wireName().equals(text)) {
        return role;
      }
    }
    throw new IllegalArgumentException("role must be admin or user, not '" + text + "'");
  }
}
