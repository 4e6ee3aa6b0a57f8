package dev.kiln.contracts;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Build ids are version 7 UUIDs: unique without coordination, and their text sorts by creation
 * time, so "newest first" is an order on the id. Within one process, ids made in the same
 * millisecond keep their order through a 12-bit counter (RFC 9562, method 3).
 */
public final class BuildIds {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static long lastMillis;
  private static int counter;

  private BuildIds() {}

  /** A new id whose leading 48 bits are the current time in milliseconds. */
  public static String newId() {
    long millis;
    int sequence;
    synchronized (BuildIds.class) {
      millis = Math.max(System.currentTimeMillis(), lastMillis);
      if (millis == lastMillis) {
        counter++;
        if (counter > 0x0FFF) {
          millis++;
          counter = RANDOM.nextInt(0x0800);
        }
      } else {
        counter = RANDOM.nextInt(0x0800);
      }
      lastMillis = millis;
      sequence = counter;
    }
    long high = (millis << 16) | 0x7000L | sequence;
    long low = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
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
