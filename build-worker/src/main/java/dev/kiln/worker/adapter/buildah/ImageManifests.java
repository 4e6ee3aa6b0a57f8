package dev.kiln.worker.adapter.buildah;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.contracts.Digest;
import dev.kiln.contracts.events.LayerInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an image's layers from its OCI or Docker v2 manifest, and which instruction made each layer
 * from its config's history: the history entries that are not {@code empty_layer} belong to the
 * layers in order.
 */
public final class ImageManifests {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NOP = "/bin/sh -c #(nop) ";
  private static final String SHELL = "/bin/sh -c ";

  /**
   * The layers of an image and their total size.
   *
   * @param size total bytes of the layer blobs as stored
   * @param layers base first
   */
  public record Layers(long size, List<LayerInfo> layers) {}

  private ImageManifests() {}

  /**
   * @param manifest the manifest JSON
   * @param config the image config JSON, or {@code null} when unknown
   */
  public static Layers read(String manifest, String config) throws IOException {
    JsonNode layersNode = JSON.readTree(manifest).path("layers");
    List<String> instructions = config == null ? List.of() : instructions(JSON.readTree(config));
    boolean matched = instructions.size() == layersNode.size();
    List<LayerInfo> layers = new ArrayList<>();
    long size = 0;
    for (int i = 0; i < layersNode.size(); i++) {
      JsonNode layer = layersNode.get(i);
      long layerSize = layer.path("size").asLong();
      size += layerSize;
      layers.add(
          new LayerInfo(
              Digest.parse(layer.path("digest").asText()),
              layerSize,
              matched ? instructions.get(i) : null,
              null));
    }
    return new Layers(size, layers);
  }

  private static List<String> instructions(JsonNode config) {
    List<String> instructions = new ArrayList<>();
    for (JsonNode entry : config.path("history")) {
      if (!entry.path("empty_layer").asBoolean(false)) {
        instructions.add(instruction(entry.path("created_by").asText("")));
      }
    }
    return instructions;
  }

  /** buildah records instructions the way Docker does, as the shell command that ran them. */
  static String instruction(String createdBy) {
    if (createdBy.startsWith(NOP)) {
      return createdBy.substring(NOP.length()).strip();
    }
    if (createdBy.startsWith(SHELL)) {
      return "RUN " + createdBy.substring(SHELL.length()).strip();
    }
    return createdBy.strip();
  }
}
