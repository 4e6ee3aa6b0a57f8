package dev.kiln.worker.adapter.buildah;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.contracts.Digest;
import dev.kiln.contracts.events.LayerInfo;
import dev.kiln.worker.domain.DockerfileSteps.ImageStep;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an image's layers from its OCI or Docker v2 manifest, and which instruction made each layer
 * from its config's history: the history entries that are not {@code empty_layer} belong to the
 * layers in order. The last history entries are those of the build's own stage, one per step after
 * its {@code FROM} (the build's labels last), which gives each of its layers a Dockerfile line.
 */
public final class ImageManifests {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NOP = "/bin/sh -c #(nop) ";
  private static final String SHELL = "/bin/sh -c ";
  private static final Pattern BUILD_ARGS = Pattern.compile("\\|(\\d+) ");

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
   * @param stage the steps of the stage the image was made of, {@code FROM} first, with their
   *     lines; empty when unknown
   */
  public static Layers read(String manifest, String config, List<ImageStep> stage)
      throws IOException {
    JsonNode layersNode = JSON.readTree(manifest).path("layers");
    List<History> history = config == null ? List.of() : history(JSON.readTree(config), stage);
    List<History> instructions = history.stream().filter(entry -> !entry.empty()).toList();
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
              matched ? instructions.get(i).instruction() : null,
              matched ? instructions.get(i).line() : null));
    }
    return new Layers(size, layers);
  }

  private record History(String instruction, boolean empty, Integer line) {}

  private static List<History> history(JsonNode config, List<ImageStep> stage) {
    JsonNode entries = config.path("history");
    List<ImageStep> own = stage.size() > 1 ? stage.subList(1, stage.size()) : List.of();
    int firstOwn = entries.size() - own.size();
    List<String> instructions = new ArrayList<>();
    entries.forEach(entry -> instructions.add(instruction(entry.path("created_by").asText(""))));
    // Lines only when the stage's history reads as its instructions, every one of them.
    boolean aligned = !own.isEmpty() && firstOwn >= 0;
    for (int i = 0; aligned && i < own.size(); i++) {
      aligned = keyword(instructions.get(firstOwn + i)).equals(own.get(i).keyword());
    }
    List<History> history = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Integer line = aligned && i >= firstOwn ? own.get(i - firstOwn).line() : null;
      history.add(
          new History(
              instructions.get(i), entries.get(i).path("empty_layer").asBoolean(false), line));
    }
    return history;
  }

  private static String withoutBuildArgs(String createdBy) {
    Matcher args = BUILD_ARGS.matcher(createdBy);
    if (!args.lookingAt()) {
      return createdBy;
    }
    String rest = createdBy.substring(args.end());
    for (int i = Integer.parseInt(args.group(1)); i > 0; i--) {
      int space = rest.indexOf(' ');
      if (space < 0) {
        return createdBy;
      }
      rest = rest.substring(space + 1);
    }
    return rest;
  }

  private static String keyword(String instruction) {
    return instruction.split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
  }

  /**
   * buildah records instructions the way Docker does, as the shell command that ran them, a RUN
   * that saw build arguments with them first ({@code |1 FLAVOUR=mint /bin/sh -c …}).
   */
  static String instruction(String recorded) {
    String createdBy = withoutBuildArgs(recorded);
    if (createdBy.startsWith(NOP)) {
      return createdBy.substring(NOP.length()).strip();
    }
    if (createdBy.startsWith(SHELL)) {
      return "RUN " + createdBy.substring(SHELL.length()).strip();
    }
    return createdBy.strip();
  }
}
