package dev.kiln.dockerfile;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The platform ARGs every build has in the global scope ({@code TARGETPLATFORM}, {@code
 * TARGETARCH}, {@code BUILDPLATFORM}, …); a stage sees them once it declares them with ARG.
 */
final class BuildPlatform {
  /** The platform assumed when a build names none. */
  static final String DEFAULT = "linux/amd64";

  private BuildPlatform() {}

  /**
   * The automatic ARGs for a build on and for {@code platform}.
   *
   * @param platform {@code os/arch[/variant]}, or {@code null} for {@value #DEFAULT}
   */
  static Map<String, String> args(String platform) {
    String value = platform == null || platform.isBlank() ? DEFAULT : platform;
    String[] parts = value.split("/");
    String os = parts[0];
    String arch = parts.length > 1 ? parts[1] : "";
    String variant = parts.length > 2 ? parts[2] : "";
    Map<String, String> args = new LinkedHashMap<>();
    for (String prefix : new String[] {"TARGET", "BUILD"}) {
      args.put(prefix + "PLATFORM", value);
      args.put(prefix + "OS", os);
      args.put(prefix + "ARCH", arch);
      args.put(prefix + "VARIANT", variant);
    }
    return args;
  }
}
