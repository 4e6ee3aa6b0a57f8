package dev.kiln.worker.adapter.buildah;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code registries.conf} the worker hands to buildah and skopeo through {@code
 * CONTAINERS_REGISTRIES_CONF}, so the machine's own {@code /etc/containers} stays untouched. Short
 * image names resolve on Docker Hub, as with {@code docker build}; the insecure registries are
 * reached over plain HTTP; a registry with mirrors is tried through them first, so {@code FROM
 * debian:bookworm} can come from a local mirror.
 */
public final class RegistriesConf {
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+(?::[0-9]{1,5})?");
  private static final Pattern LOCATION =
      Pattern.compile("[A-Za-z0-9.-]+(?::[0-9]{1,5})?(/[\\w./-]+)?");

  private RegistriesConf() {}

  /**
   * The file's text.
   *
   * @param insecureRegistries {@code host[:port]} each
   * @param mirrors {@code registry=mirror[/path]} each, such as {@code docker.io=127.0.0.1:5000}
   */
  public static String render(Collection<String> insecureRegistries, Collection<String> mirrors) {
    Set<String> insecure = new LinkedHashSet<>();
    for (String host : insecureRegistries) {
      if (!HOST.matcher(host).matches()) {
        throw new IllegalArgumentException(
            "kiln.worker.insecure-registries: '" + host + "' is not a host[:port]");
      }
      insecure.add(host);
    }
    Map<String, List<String>> mirrored = new LinkedHashMap<>();
    for (String mirror : mirrors) {
      String[] parts = mirror.split("=", 2);
      if (parts.length != 2
          || !HOST.matcher(parts[0].strip()).matches()
          || !LOCATION.matcher(parts[1].strip()).matches()) {
        throw new IllegalArgumentException(
            "kiln.worker.registry-mirrors: '" + mirror + "' is not registry=mirror[/path]");
      }
      mirrored
          .computeIfAbsent(parts[0].strip(), registry -> new java.util.ArrayList<>())
          .add(parts[1].strip());
    }
    StringBuilder text =
        new StringBuilder(
            """
            # Written by the Kiln build worker at start; its buildah and skopeo processes read it.
            unqualified-search-registries = ["docker.io"]
            short-name-mode = "permissive"
            """);
    for (Map.Entry<String, List<String>> registry : mirrored.entrySet()) {
      String name = registry.getKey();
      text.append("\n[[registry]]\nprefix = \"")
          .append(name)
          .append("\"\nlocation = \"")
          .append(name)
          .append("\"\n");
      if (insecure.remove(name)) {
        text.append("insecure = true\n");
      }
      for (String mirror : registry.getValue()) {
        text.append("\n[[registry.mirror]]\nlocation = \"").append(mirror).append("\"\n");
        if (insecure.contains(mirror.split("/", 2)[0])) {
          text.append("insecure = true\n");
        }
      }
    }
    for (String host : insecure) {
      text.append("\n[[registry]]\nlocation = \"").append(host).append("\"\ninsecure = true\n");
    }
    return text.toString();
  }

  /** Writes the file, replacing what an earlier start wrote. */
  public static void write(
      Path file, Collection<String> insecureRegistries, Collection<String> mirrors)
      throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, render(insecureRegistries, mirrors));
  }
}
