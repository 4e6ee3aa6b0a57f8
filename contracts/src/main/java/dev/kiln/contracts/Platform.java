package dev.kiln.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/**
 * An OCI platform, {@code os/architecture[/variant]}, such as {@code linux/amd64} or {@code
 * linux/arm64/v8}.
 */
public record Platform(String os, String architecture, String variant) {
  private static final Pattern WORD = Pattern.compile("[a-z0-9_]+");

  public Platform {
    if (os == null || !WORD.matcher(os).matches()) {
      throw new IllegalArgumentException("invalid platform os '" + os + "'");
    }
    if (architecture == null || !WORD.matcher(architecture).matches()) {
      throw new IllegalArgumentException("invalid platform architecture '" + architecture + "'");
    }
    if (variant != null && !WORD.matcher(variant).matches()) {
      throw new IllegalArgumentException("invalid platform variant '" + variant + "'");
    }
  }

  /** Parses {@code os/arch[/variant]}. */
  @JsonCreator
  public static Platform parse(String text) {
    String[] parts = text == null ? new String[0] : text.split("/", -1);
    if (parts.length < 2 || parts.length > 3) {
      throw new IllegalArgumentException(
          "platform '" + text + "' is not of the form os/architecture[/variant]");
    }
    return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
  }

  /** The platform of the running JVM's machine, in OCI names. */
  public static Platform current() {
    String arch =
        switch (System.getProperty("os.arch")) {
          case "amd64", "x86_64" -> "amd64";
          case "aarch64", "arm64" -> "arm64";
          case String other -> other;
        };
    return new Platform("linux", arch, null);
  }

  @JsonValue
  @Override
  public String toString() {
    return variant == null ? os + "/" + architecture : os + "/" + architecture + "/" + variant;
  }
}
