package dev.kiln.worker.adapter.buildah;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds buildah's working containers by what it recorded about them. {@code buildah containers}
 * lists them; the options each was made with sit beside it in the store, in {@code
 * <driver>-containers/<id>/userdata/buildah.json}, the file buildah itself reads back.
 */
final class WorkingContainers {
  private static final ObjectMapper JSON = new ObjectMapper();

  private WorkingContainers() {}

  /**
   * The ids of the containers made with this cgroup parent.
   *
   * @param listing the output of {@code buildah containers --json}
   */
  static List<String> ofCgroupParent(String listing, BuildahSettings settings, String parent)
      throws IOException {
    List<String> ids = new ArrayList<>();
    JsonNode containers = JSON.readTree(listing.isBlank() ? "[]" : listing);
    Path containerDir = settings.storage().resolve(settings.storageDriver() + "-containers");
    for (JsonNode container : containers) {
      String id = container.path("id").asText();
      Path state = containerDir.resolve(id).resolve("userdata").resolve("buildah.json");
      if (id.isEmpty() || !Files.isRegularFile(state)) {
        continue;
      }
      String recorded = JSON.readTree(state.toFile()).at("/CommonBuildOpts/CgroupParent").asText();
      if (parent.equals(recorded)) {
        ids.add(id);
      }
    }
    return ids;
  }
}
