package dev.kiln.gateway.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An API token as the gateway keeps it: never the secret itself.
 *
 * @param id the token's public id, used to revoke it
 * @param name the user it stands for; builds submitted with it are owned by this name
 * @param role what it may do
 * @param createdAt when it was made
 * @param createdBy the name of the admin who made it
 * @param revokedAt when it was revoked, or {@code null} while it is valid
 */
public record ApiToken(
    String id, String name, Role role, Instant createdAt, String createdBy, Instant revokedAt) {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._@-]{0,63}");

  public ApiToken {
    Objects.requireNonNull(id, "id");
    requireValidName(name);
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(createdBy, "createdBy");
  }

  /** Refuses names that could not be shown or typed safely. */
  public static void requireValidName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "name must be 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or"
              + " digit");
    }
  }

  public boolean revoked() {
    return revokedAt != null;
  }

  public Caller caller() {
    return new Caller(name, role);
  }
}
