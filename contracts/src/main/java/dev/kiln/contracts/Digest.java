package dev.kiln.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest in OCI form, {@code sha256:} followed by 64 lower-case hex digits. A malformed
 * value is refused here, so every digest in Kiln names real content.
 *
 * @param algorithm always {@code sha256} today
 * @param hex the 64 hex digits
 */
public record Digest(String algorithm, String hex) {
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  public Digest {
    if (!"sha256".equals(algorithm)) {
      throw new IllegalArgumentException(
          "digest algorithm must be sha256, not '" + algorithm + "'");
    }
    if (hex == null || !HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException("a sha256 digest has 64 lower-case hex digits");
    }
  }

  /** Parses {@code sha256:<64 hex>}. */
  @JsonCreator
  public static Digest parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("digest is missing");
    }
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("digest '" + text + "' is not of the form sha256:<hex>");
    }
    return new Digest(text.substring(0, colon), text.substring(colon + 1));
  }

  /** The digest of a finished SHA-256 hash. */
  public static Digest sha256(byte[] hash) {
    return new Digest("sha256", HexFormat.of().formatHex(hash));
  }

  @JsonValue
  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}
