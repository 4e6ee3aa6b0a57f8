package dev.kiln.gateway.app;

import dev.kiln.gateway.domain.ApiToken;
import java.util.List;
import java.util.Optional;

/**
 * API tokens, by the hash of their secret. Every method throws {@link Failures.StorageUnavailable}
 * when the database cannot be used.
 */
public interface TokenStore {
  void insert(ApiToken token, String secretHash);

  /** The token whose secret has this hash, revoked or not. */
  Optional<ApiToken> findByHash(String secretHash);

  /** Every token, newest first. */
  List<ApiToken> list();

  /** Marks the token revoked; returns it as it is now, or empty when no token has this id. */
  Optional<ApiToken> revoke(String id);

  /** Whether any admin token is valid. */
  boolean hasValidAdmin();
}
