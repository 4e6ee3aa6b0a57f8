package dev.kiln.gateway.app;

import dev.kiln.gateway.domain.ApiToken;
import dev.kiln.gateway.domain.Caller;
import dev.kiln.gateway.domain.Role;
import dev.kiln.gateway.domain.TokenSecret;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Making, listing, revoking and checking API tokens. */
@ApplicationScoped
public class TokenService {
  /**
   * How long a checked token is trusted without asking the database again; a revocation takes
   * effect within this time.
   */
  static final Duration TRUSTED_FOR = Duration.ofSeconds(5);

  private final TokenStore tokens;
  private final Map<String, Checked> checked = new ConcurrentHashMap<>();

  public TokenService(TokenStore tokens) {
    this.tokens = tokens;
  }

  /**
   * A new token; the secret in the answer is the only copy there will ever be.
   *
   * @param by the admin asking
   */
  public IssuedToken create(Caller by, String name, Role role) {
    requireAdmin(by);
    return issue(name, role, by.name());
  }

  /** Every token, without secrets. */
  public List<ApiToken> list(Caller by) {
    requireAdmin(by);
    return tokens.list();
  }

  /** Revokes a token; its secret stops working within {@link #TRUSTED_FOR}. */
  public ApiToken revoke(Caller by, String id) {
    requireAdmin(by);
    ApiToken revoked =
        tokens
            .revoke(id)
            .orElseThrow(() -> new Failures.NothingStored("no token with id '" + id + "'"));
    checked.clear();
    return revoked;
  }

  /** The caller a secret stands for, or empty when it is unknown or revoked. */
  public Optional<Caller> authenticate(String secret) {
    if (secret == null || !secret.startsWith(TokenSecret.PREFIX)) {
      return Optional.empty();
    }
    String hash = TokenSecret.hash(secret);
    Checked known = checked.get(hash);
    Instant now = Instant.now();
    if (known != null && known.until().isAfter(now)) {
      return known.caller();
    }
    Optional<Caller> caller =
        tokens.findByHash(hash).filter(t -> !t.revoked()).map(ApiToken::caller);
    checked.put(hash, new Checked(caller, now.plus(TRUSTED_FOR)));
    return caller;
  }

  /**
   * Makes the first admin token when there is none, for a farm's first start.
   *
   * @return the new token, or empty when a valid admin token exists already
   */
  public Optional<IssuedToken> bootstrapAdmin(String name) {
    if (tokens.hasValidAdmin()) {
      return Optional.empty();
    }
    return Optional.of(issue(name, Role.ADMIN, "kiln"));
  }

  private IssuedToken issue(String name, Role role, String createdBy) {
    try {
      ApiToken.requireValidName(name);
    } catch (IllegalArgumentException e) {
      throw new Failures.RequestRejected("invalid_field", e.getMessage(), "name");
    }
    String secret = TokenSecret.generate();
    ApiToken token =
        new ApiToken(
            TokenSecret.newId("tok_"),
            name,
            role,
            Instant.now().truncatedTo(ChronoUnit.MILLIS),
            createdBy,
            null);
    tokens.insert(token, TokenSecret.hash(secret));
    return new IssuedToken(token, secret);
  }

  private static void requireAdmin(Caller caller) {
    if (!caller.isAdmin()) {
      throw new Failures.Forbidden("only an admin token may manage tokens");
    }
  }

  /**
   * A token just made, with its secret.
   *
   * @param token the stored token
   * @param secret the value to send as {@code Authorization: Bearer <secret>}
   */
  public record IssuedToken(ApiToken token, String secret) {}

  private record Checked(Optional<Caller> caller, Instant until) {}
}
