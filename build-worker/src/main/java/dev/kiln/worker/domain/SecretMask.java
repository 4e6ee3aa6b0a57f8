package dev.kiln.worker.domain;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Replaces secret values with {@value #MASK} in text the worker publishes. A value that spans
 * several lines is also masked line by line, since output comes line by line; longer values are
 * replaced first, so a value that contains another is masked whole.
 */
public final class SecretMask {
  /** What a secret value becomes. */
  public static final String MASK = "*****";

  /** Masks nothing. */
  public static final SecretMask NONE = new SecretMask(List.of());

  private final List<String> values;

  private SecretMask(List<String> values) {
    this.values = values;
  }

  /** A mask of these values; blank ones are left out, since masking them would hide nothing. */
  public static SecretMask of(Collection<String> secrets) {
    Set<String> values = new LinkedHashSet<>();
    for (String secret : secrets) {
      if (secret == null || secret.isBlank()) {
        continue;
      }
      values.add(secret);
      for (String line : secret.split("\r?\n")) {
        if (!line.isBlank()) {
          values.add(line);
        }
      }
    }
    return new SecretMask(
        values.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList());
  }

  /** This mask and the values of another. */
  public SecretMask and(SecretMask other) {
    Set<String> both = new LinkedHashSet<>(values);
    both.addAll(other.values);
    return of(both);
  }

  /** The text with every secret value replaced. */
  public String apply(String text) {
    String masked = text;
    for (String value : values) {
      if (masked.contains(value)) {
        masked = masked.replace(value, MASK);
      }
    }
    return masked;
  }

  /** The UTF-8 length of the longest value, so a reader can keep enough of a line to mask it. */
  public int longestValueBytes() {
    return values.stream().mapToInt(LineCap::utf8Length).max().orElse(0);
  }
}
