package dev.kiln.gateway.app.catalog;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kiln.gateway.app.Failures;
import dev.kiln.gateway.domain.catalog.BuildDefaults;
import java.io.IOException;

/** Reads a custom image's {@code build.yaml}; a mistake in it is named, not ignored. */
final class BuildYaml {
  private static final ObjectMapper YAML =
      YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private BuildYaml() {}

  static BuildDefaults read(String image, byte[] yaml) {
    try {
      JsonNode tree = YAML.readTree(yaml);
      if (tree == null || tree.isMissingNode() || tree.isNull()) {
        return BuildDefaults.NONE;
      }
      return YAML.treeToValue(tree, BuildDefaults.class);
    } catch (IOException | RuntimeException e) {
      throw new Failures.RequestRejected(
          "invalid_catalog_image",
          "build.yaml of custom image '" + image + "' cannot be read: " + firstLine(e.getMessage()),
          "source.catalog");
    }
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
