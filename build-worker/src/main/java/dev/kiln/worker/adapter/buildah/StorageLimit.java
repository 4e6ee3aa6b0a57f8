package dev.kiln.worker.adapter.buildah;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the worker's image store under its size limit by removing the least recently used images
 * first. buildah keeps no record of use, so the worker notes it from what builds print: the cached
 * layers they reuse ({@code --> Using cache <id>}), the layers they make ({@code --> <id>}), the
 * base images they pull ({@code Copying config sha256:<id>}) or name ({@code FROM <image>}), and
 * the images they end with. An image never noted counts as used when it was created. Images in use
 * stay: buildah refuses to remove those of working containers, and images used in the last {@link
 * #RECENT} (those of running builds, or an image being pushed) are not tried.
 */
final class StorageLimit {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern USED =
      Pattern.compile(
          "^(?:--> Using cache ([0-9a-f]{64})|--> ([0-9a-f]{11,64})|Copying config sha256:([0-9a-f]{64})"
              + "|(?:\\[\\d+/\\d+\\] )?STEP 1/\\d+: FROM (\\S+).*)$");

  /** Runs a buildah command and returns what it printed on standard output. */
  interface Buildah {
    String run(List<String> arguments) throws IOException, InterruptedException;
  }

  private record Image(String id, List<String> names, Instant lastUsed) {}

  static final Duration RECENT = Duration.ofMinutes(10);

  private final Path storage;
  private final long maxBytes;
  private final Clock clock;
  private final Map<String, Instant> used = new ConcurrentHashMap<>();

  /**
   * @param maxBytes the most bytes the store may take, or 0 for no limit
   */
  StorageLimit(Path storage, long maxBytes, Clock clock) {
    this.storage = storage;
    this.maxBytes = maxBytes;
    this.clock = clock;
  }

  /** Notes an image a build used, if the line names one. */
  void noteLine(String text) {
    Matcher matcher = USED.matcher(text);
    if (!matcher.matches()) {
      return;
    }
    for (int group = 1; group <= 4; group++) {
      if (matcher.group(group) != null) {
        used(matcher.group(group));
      }
    }
  }

  /** Notes an image by id (full or short) or by name. */
  void used(String idOrName) {
    used.put(idOrName, clock.instant());
  }

  /**
   * Removes least recently used images until the store fits its limit or nothing more can go.
   *
   * @return the ids removed
   */
  synchronized List<String> enforce(Buildah buildah) throws IOException, InterruptedException {
    List<String> removed = new ArrayList<>();
    if (maxBytes <= 0 || size(storage) <= maxBytes) {
      return removed;
    }
    List<Image> images =
        new ArrayList<>(images(buildah.run(List.of("images", "--all", "--no-trunc", "--json"))));
    Instant recent = clock.instant().minus(RECENT);
    images.removeIf(image -> image.lastUsed().isAfter(recent));
    images.sort(Comparator.comparing(Image::lastUsed));
    boolean progress = true;
    while (progress && size(storage) > maxBytes) {
      progress = false;
      for (Image image : new ArrayList<>(images)) {
        try {
          buildah.run(List.of("rmi", image.id()));
        } catch (IOException refused) {
          // In use by a working container, or the parent of an image still there: it stays.
          continue;
        }
        images.remove(image);
        removed.add(image.id());
        progress = true;
        if (size(storage) <= maxBytes) {
          break;
        }
      }
    }
    return removed;
  }

  private List<Image> images(String json) throws IOException {
    List<Image> images = new ArrayList<>();
    for (JsonNode node : JSON.readTree(json.isBlank() ? "[]" : json)) {
      String id = node.path("id").asText();
      List<String> names = new ArrayList<>();
      node.path("names").forEach(name -> names.add(name.asText()));
      Instant last = Instant.ofEpochSecond(node.path("created").asLong());
      for (Map.Entry<String, Instant> use : used.entrySet()) {
        String key = use.getKey();
        boolean same =
            id.startsWith(key)
                || names.contains(key)
                || names.stream().anyMatch(name -> name.endsWith("/" + key));
        if (same && use.getValue().isAfter(last)) {
          last = use.getValue();
        }
      }
      images.add(new Image(id, names, last));
    }
    return images;
  }

  /** The bytes the store takes on disk. */
  static long size(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    long[] total = {0};
    Files.walkFileTree(
        folder,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            if (attributes.isRegularFile()) {
              total[0] += attributes.size();
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException failure) {
            return FileVisitResult.CONTINUE;
          }
        });
    return total[0];
  }
}
