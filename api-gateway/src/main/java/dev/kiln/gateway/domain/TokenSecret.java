package dev.kiln.gateway.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Makes token secrets and the hashes the gateway stores in their place. */
public final class TokenSecret {
  /** Every token starts with this, so a leaked one is easy to recognise and to scan for. */
  public static final String PREFIX = "kiln_";

  private static final SecureRandom RANDOM = new SecureRandom();

  private TokenSecret() {}

  /** A new secret: the prefix and 256 random bits in URL-safe base64. */
  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A short random id for a token or another public handle, such as {@code tok_3f9c0a1b2d4e}. */
  public static String newId(String prefix) {
    byte[] bytes = new byte[6];
    RANDOM.nextBytes(bytes);
    return prefix + HexFormat.of().formatHex(bytes);
  }

  /** The SHA-256 of a secret, in hex. */
  public static String hash(String secret) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
