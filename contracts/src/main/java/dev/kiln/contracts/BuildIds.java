package dev.kiln.contracts;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Build ids are version 7 UUIDs: unique without coordination, and their text sorts by creation
 * time, so "newest first" is an order on the id.
 */
public final class BuildIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  private BuildIds() {}

  /** A new id whose leading 48 bits are the current time in milliseconds. */
  public static String newId() {
    long millis = System.currentTimeMillis();
    long random = RANDOM.nextLong();
    long high = (millis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0FFFL);
    long low = (random & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }

  /** Whether {@code text} is an id of this form (any UUID in canonical lower-case text). */
  public static boolean isValid(String text) {
    if (text == null || text.length() != 36) {
      return false;
    }
    try {
      return UUID.fromString(text).toString().equals(text);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
