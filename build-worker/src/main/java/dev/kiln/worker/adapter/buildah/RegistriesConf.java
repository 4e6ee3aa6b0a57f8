package dev.kiln.worker.adapter.buildah;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.regex.Pattern;

/**
 * The {@code registries.conf} the worker hands to buildah and skopeo through {@code
 * CONTAINERS_REGISTRIES_CONF}, so the machine's own {@code /etc/containers} stays untouched. Short
 * image names resolve on Docker Hub, as with {@code docker build}; the listed registries are
 * reached over plain HTTP.
 */
public final class RegistriesConf {
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+(?::[0-9]{1,5})?");

  private RegistriesConf() {}

  /** The file's text for these insecure registries ({@code host[:port]} each). */
  public static String render(Collection<String> insecureRegistries) {
    StringBuilder text =
        new StringBuilder(
            """
            # Written by the Kiln build worker at start; its buildah and skopeo processes read it.
            unqualified-search-registries = ["docker.io"]
            short-name-mode = "permissive"
            """);
    for (String host : insecureRegistries) {
      if (!HOST.matcher(host).matches()) {
        throw new IllegalArgumentException(
            "kiln.worker.insecure-registries: '" + host + "' is not a host[:port]");
      }
      text.append("\n[[registry]]\nlocation = \"").append(host).append("\"\ninsecure = true\n");
    }
    return text.toString();
  }

  /** Writes the file, replacing what an earlier start wrote. */
  public static void write(Path file, Collection<String> insecureRegistries) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, render(insecureRegistries));
  }
}
