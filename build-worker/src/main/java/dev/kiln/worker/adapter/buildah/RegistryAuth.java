package dev.kiln.worker.adapter.buildah;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The registry credentials of the worker, as one {@code auth.json} in the format buildah and skopeo
 * read through {@code REGISTRY_AUTH_FILE} (Docker's {@code config.json} {@code auths}): the entries
 * of a Docker {@code config.json} the worker is given, then per-registry {@code user:password}
 * settings over them. The file is readable by the worker only; credentials never go on a command
 * line, and their values are handed back so the build logs can mask them.
 */
public final class RegistryAuth {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> SECRET_FIELDS =
      List.of("auth", "password", "identitytoken", "registrytoken");

  /**
   * The file written and what must never be published.
   *
   * @param file the {@code auth.json}
   * @param secrets every password, token and encoded credential in it
   */
  public record Written(Path file, Set<String> secrets) {}

  private RegistryAuth() {}

  /**
   * Merges and writes the credentials.
   *
   * @param dockerConfig a Docker {@code config.json}, or {@code null}
   * @param perRegistry {@code user:password} by registry {@code host[:port]}
   */
  public static Written write(Path dockerConfig, Map<String, String> perRegistry, Path file)
      throws IOException {
    ObjectNode auths = JSON.createObjectNode();
    if (dockerConfig != null) {
      JsonNode config = JSON.readTree(dockerConfig.toFile());
      config
          .path("auths")
          .fields()
          .forEachRemaining(entry -> auths.set(entry.getKey(), entry.getValue()));
    }
    for (Map.Entry<String, String> registry : perRegistry.entrySet()) {
      if (!registry.getValue().contains(":")) {
        throw new IllegalArgumentException(
            "kiln.worker.registry-credentials." + registry.getKey() + " must be user:password");
      }
      String encoded =
          Base64.getEncoder().encodeToString(registry.getValue().getBytes(StandardCharsets.UTF_8));
      auths.set(registry.getKey(), JSON.createObjectNode().put("auth", encoded));
    }
    Set<String> secrets = new LinkedHashSet<>();
    auths.fields().forEachRemaining(entry -> collectSecrets(entry.getValue(), secrets));
    Files.createDirectories(file.getParent());
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    JSON.writeValue(file.toFile(), JSON.createObjectNode().set("auths", auths));
    return new Written(file, secrets);
  }

  private static void collectSecrets(JsonNode entry, Set<String> secrets) {
    for (String field : SECRET_FIELDS) {
      String value = entry.path(field).asText("");
      if (value.isEmpty()) {
        continue;
      }
      secrets.add(value);
      if (field.equals("auth")) {
        String decoded = decode(value);
        int colon = decoded.indexOf(':');
        if (colon >= 0 && colon < decoded.length() - 1) {
          secrets.add(decoded.substring(colon + 1));
        }
      }
    }
  }

  private static String decode(String auth) {
    try {
      return new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }
}
