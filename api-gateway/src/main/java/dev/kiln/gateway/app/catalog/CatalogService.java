package dev.kiln.gateway.app.catalog;

import dev.kiln.gateway.app.Failures;
import dev.kiln.gateway.config.GatewayConfig;
import dev.kiln.gateway.domain.catalog.BuildDefaults;
import dev.kiln.gateway.domain.catalog.CatalogPaths;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The Dockerfile catalog: templates Kiln ships and custom images a team keeps, each a folder in one
 * git repository. Every change is a commit authored by whoever made it; an update names the commit
 * it was based on and is refused when someone changed the same file since.
 */
@ApplicationScoped
public class CatalogService {
  /** How often a change is tried again when another change to other files came first. */
  private static final int ATTEMPTS = 5;

  private final CatalogRepository repository;
  private final Optional<String> editorUrl;

  public CatalogService(CatalogRepository repository, GatewayConfig config) {
    this.repository = repository;
    this.editorUrl = config.catalog().editorUrl();
  }

  /**
   * Writes the shipped templates into a catalog that has no commit yet.
   *
   * @param files bytes by path under {@code templates/}
   * @return whether the catalog was empty and is now seeded
   */
  public boolean seed(Map<String, byte[]> files) {
    if (repository.head().isPresent() || files.isEmpty()) {
      return false;
    }
    List<CatalogRepository.FileChange> changes =
        files.entrySet().stream()
            .map(e -> new CatalogRepository.FileChange(e.getKey(), e.getValue()))
            .toList();
    try {
      repository.commit(null, changes, "kiln", "Add the templates Kiln ships");
      return true;
    } catch (CatalogRepository.HeadMovedException e) {
      return false;
    }
  }

  /** The newest commit of the catalog, or empty before the first. */
  public Optional<String> head() {
    return repository.head();
  }

  public List<Template> templates() {
    return folders(CatalogPaths.TEMPLATES).entrySet().stream()
        .map(
            folder ->
                new Template(
                    folder.getKey(),
                    describe(folder.getValue(), CatalogPaths.templateFolder(folder.getKey())),
                    List.copyOf(folder.getValue().keySet())))
        .toList();
  }

  public List<ImageSummary> images() {
    return folders(CatalogPaths.CUSTOM).keySet().stream()
        .map(
            name ->
                new ImageSummary(
                    name, lastCommit(CatalogPaths.customFolder(name)), editUrl(name).orElse(null)))
        .toList();
  }

  /** One custom image: its files at the catalog's head. */
  public ImageDetails image(String name) {
    String head = requireHead();
    SortedMap<String, Long> files = requireImage(head, name);
    List<FileInfo> infos =
        files.entrySet().stream().map(e -> new FileInfo(e.getKey(), e.getValue())).toList();
    return new ImageDetails(
        name, head, lastCommit(CatalogPaths.customFolder(name)), infos, editUrl(name).orElse(null));
  }

  /**
   * Creates a custom image as a copy of a template, in one commit.
   *
   * @throws CatalogFailures.AlreadyExists when a custom image has that name
   */
  public ImageDetails create(String name, String template, String message, String author) {
    CatalogPaths.requireName(name);
    if (template == null || template.isBlank()) {
      throw new Failures.RequestRejected(
          "invalid_field", "template is missing: name one of the templates", "template");
    }
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      String head = requireHead();
      if (!repository.files(head, CatalogPaths.customFolder(name)).isEmpty()) {
        throw new CatalogFailures.AlreadyExists("custom image '" + name + "' exists already");
      }
      SortedMap<String, Long> files = templateFiles(head, template);
      List<CatalogRepository.FileChange> changes = new ArrayList<>();
      String prefix = CatalogPaths.templateFolder(template) + "/";
      for (String path : files.keySet()) {
        byte[] content = repository.read(head, path).orElseThrow();
        changes.add(
            new CatalogRepository.FileChange(
                CatalogPaths.customFolder(name) + "/" + path.substring(prefix.length()),
                content,
                repository.executable(head, path)));
      }
      try {
        repository.commit(
            head,
            changes,
            author,
            message(message, "Create " + name + " from template " + template));
        return image(name);
      } catch (CatalogRepository.HeadMovedException e) {
        // Someone else committed first; look again on the new head.
      }
    }
    throw busy();
  }

  /**
   * One file of a custom image.
   *
   * @param commit the commit to read it at, or {@code null} for the head
   */
  public FileContent read(String name, String path, String commit) {
    CatalogPaths.requireName(name);
    CatalogPaths.requireFile(path);
    String at = commit == null ? requireHead() : requireCommit(commit, "commit");
    String full = CatalogPaths.customFolder(name) + "/" + path;
    byte[] content =
        repository
            .read(at, full)
            .orElseThrow(
                () ->
                    new Failures.NothingStored(
                        "custom image '" + name + "' has no file '" + path + "' at " + at));
    return new FileContent(path, content, at);
  }

  /**
   * Writes one file of a custom image as a new commit.
   *
   * @param content the new bytes, or {@code null} to remove the file
   * @param executable whether the file is executable; {@code null} keeps what it was (not, for a
   *     new file)
   * @param baseCommit the commit the writer read the file at
   * @return the new head, or the current one when the content did not change
   * @throws CatalogFailures.Conflict when the file changed since {@code baseCommit}
   */
  public String write(
      String name,
      String path,
      byte[] content,
      Boolean executable,
      String baseCommit,
      String message,
      String author) {
    CatalogPaths.requireName(name);
    CatalogPaths.requireFile(path);
    if (baseCommit == null || baseCommit.isBlank()) {
      throw new Failures.RequestRejected(
          "invalid_field",
          "baseCommit is missing: give the commit you read the file at, so a concurrent change is"
              + " not overwritten",
          "baseCommit");
    }
    String base = requireCommit(baseCommit, "baseCommit");
    String full = CatalogPaths.customFolder(name) + "/" + path;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      String head = requireHead();
      requireImage(head, name);
      Optional<byte[]> current = repository.read(head, full);
      Optional<byte[]> atBase = repository.read(base, full);
      if (!same(current, atBase)) {
        throw new CatalogFailures.Conflict(
            "'"
                + path
                + "' of '"
                + name
                + "' changed after "
                + base
                + "; read it again at "
                + head
                + " and base the update on that",
            head);
      }
      if (content == null && current.isEmpty()) {
        throw new Failures.NothingStored("custom image '" + name + "' has no file '" + path + "'");
      }
      boolean wasExecutable = current.isPresent() && repository.executable(head, full);
      boolean willBeExecutable = executable == null ? wasExecutable : executable;
      if (content != null
          && current.isPresent()
          && Arrays.equals(current.get(), content)
          && wasExecutable == willBeExecutable) {
        return head;
      }
      String fallback = (content == null ? "Remove " : "Update ") + path + " of " + name;
      try {
        return repository.commit(
            head,
            List.of(new CatalogRepository.FileChange(full, content, willBeExecutable)),
            author,
            message(message, fallback));
      } catch (CatalogRepository.HeadMovedException e) {
        // Another change came first; it did not touch this file unless the next look says so.
      }
    }
    throw busy();
  }

  /** Removes a custom image in one commit; its history stays. */
  public String delete(String name, String message, String author) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      String head = requireHead();
      requireImage(head, name);
      try {
        return repository.commit(
            head,
            List.of(new CatalogRepository.FileChange(CatalogPaths.customFolder(name), null)),
            author,
            message(message, "Delete " + name));
      } catch (CatalogRepository.HeadMovedException e) {
        // Look again on the new head.
      }
    }
    throw busy();
  }

  /**
   * The commits that changed a custom image, newest first.
   *
   * @param path one of its files, or {@code null} for all of them
   */
  public List<CatalogRepository.CommitInfo> history(String name, String path, int limit) {
    String folder = CatalogPaths.customFolder(name);
    String scope = path == null ? folder : folder + "/" + CatalogPaths.requireFile(path);
    List<CatalogRepository.CommitInfo> commits = repository.log(scope, limit);
    if (commits.isEmpty()) {
      throw new Failures.NothingStored("custom image '" + name + "' has no history");
    }
    return commits;
  }

  /**
   * What changed in a custom image between two commits.
   *
   * @param from the older commit, or {@code null} for the one before the image's last change
   * @param to the newer commit, or {@code null} for the head
   */
  public Diff diff(String name, String from, String to) {
    String folder = CatalogPaths.customFolder(name);
    String newer = to == null ? requireHead() : requireCommit(to, "to");
    String older;
    if (from != null) {
      older = requireCommit(from, "from");
    } else {
      List<CatalogRepository.CommitInfo> last = repository.log(folder, 2);
      if (last.isEmpty()) {
        throw new Failures.NothingStored("custom image '" + name + "' has no history");
      }
      newer = to == null ? last.getFirst().id() : newer;
      older = last.size() > 1 ? last.get(1).id() : null;
    }
    return new Diff(older, newer, repository.diff(older, newer, folder));
  }

  /** Pushes the catalog to a remote repository; the local catalog is unchanged either way. */
  public String backup(CatalogRepository.Remote remote) {
    return repository.push(checked(remote));
  }

  /** Makes the catalog what a remote repository holds, and says what changed. */
  public CatalogRepository.Restored restore(CatalogRepository.Remote remote) {
    return repository.restore(checked(remote));
  }

  /**
   * A custom image as a build needs it, at the head.
   *
   * @throws Failures.RequestRejected when no custom image has that name, or its files are unusable
   */
  public Snapshot snapshot(String name) {
    String head = repository.head().orElseThrow(() -> unknownImage(name));
    String folder = CatalogPaths.customFolder(name);
    SortedMap<String, Long> files = repository.files(head, folder);
    if (files.isEmpty()) {
      throw unknownImage(name);
    }
    String dockerfile =
        repository
            .read(head, folder + "/" + CatalogPaths.DOCKERFILE)
            .map(bytes -> new String(bytes, StandardCharsets.UTF_8))
            .orElseThrow(
                () ->
                    new Failures.RequestRejected(
                        "invalid_catalog_image",
                        "custom image '" + name + "' has no Dockerfile",
                        "source.catalog"));
    SortedMap<String, byte[]> context = new TreeMap<>();
    java.util.Set<String> executables = new java.util.TreeSet<>();
    String contextPrefix = folder + "/" + CatalogPaths.CONTEXT + "/";
    for (String path : files.keySet()) {
      if (path.startsWith(contextPrefix)) {
        String inside = path.substring(contextPrefix.length());
        context.put(inside, repository.read(head, path).orElseThrow());
        if (repository.executable(head, path)) {
          executables.add(inside);
        }
      }
    }
    BuildDefaults defaults =
        repository
            .read(head, folder + "/" + CatalogPaths.BUILD_YAML)
            .map(bytes -> BuildYaml.read(name, bytes))
            .orElse(BuildDefaults.NONE);
    return new Snapshot(name, head, dockerfile, context, executables, defaults);
  }

  private static Failures.RequestRejected unknownImage(String name) {
    return new Failures.RequestRejected(
        "unknown_catalog_image",
        "the catalog has no custom image '"
            + name
            + "'; create it with POST /api/v1/catalog/images",
        "source.catalog");
  }

  private static CatalogRepository.Remote checked(CatalogRepository.Remote remote) {
    if (remote.url() == null || remote.url().isBlank()) {
      throw new Failures.RequestRejected(
          "invalid_field", "url is missing: give the remote repository's URL", "url");
    }
    return remote;
  }

  private Optional<String> editUrl(String name) {
    return editorUrl.map(
        url ->
            url.contains("{name}")
                ? url.replace("{name}", name)
                : url.replaceAll("/+$", "") + "/" + CatalogPaths.customFolder(name));
  }

  private String lastCommit(String folder) {
    List<CatalogRepository.CommitInfo> last = repository.log(folder, 1);
    return last.isEmpty() ? null : last.getFirst().id();
  }

  /** The folders directly under {@code top}, each with its files by path. */
  private Map<String, SortedMap<String, Long>> folders(String top) {
    Map<String, SortedMap<String, Long>> folders = new LinkedHashMap<>();
    Optional<String> head = repository.head();
    if (head.isEmpty()) {
      return folders;
    }
    repository
        .files(head.get(), top)
        .forEach(
            (path, size) -> {
              String[] parts = path.split("/", 3);
              if (parts.length == 3) {
                folders.computeIfAbsent(parts[1], ignored -> new TreeMap<>()).put(path, size);
              }
            });
    return folders;
  }

  private String describe(SortedMap<String, Long> files, String folder) {
    String readme = folder + "/" + CatalogPaths.README;
    if (!files.containsKey(readme)) {
      return null;
    }
    String text =
        new String(
            repository.read(repository.head().orElseThrow(), readme).orElseThrow(),
            StandardCharsets.UTF_8);
    return text.lines()
        .map(line -> line.replaceFirst("^#+\\s*", "").strip())
        .filter(line -> !line.isEmpty())
        .findFirst()
        .orElse(null);
  }

  private SortedMap<String, Long> templateFiles(String head, String template) {
    String folder;
    try {
      folder = CatalogPaths.templateFolder(template);
    } catch (RuntimeException e) {
      throw unknownTemplate(template);
    }
    SortedMap<String, Long> files = repository.files(head, folder);
    if (files.isEmpty()) {
      throw unknownTemplate(template);
    }
    return files;
  }

  private Failures.RequestRejected unknownTemplate(String template) {
    return new Failures.RequestRejected(
        "unknown_template",
        "no template '"
            + template
            + "'; the templates are "
            + templates().stream().map(Template::name).toList(),
        "template");
  }

  private SortedMap<String, Long> requireImage(String head, String name) {
    SortedMap<String, Long> files = repository.files(head, CatalogPaths.customFolder(name));
    if (files.isEmpty()) {
      throw new Failures.NothingStored("the catalog has no custom image '" + name + "'");
    }
    return files;
  }

  private String requireHead() {
    return repository
        .head()
        .orElseThrow(() -> new Failures.NothingStored("the catalog has no commit yet"));
  }

  private String requireCommit(String commit, String field) {
    return repository
        .resolve(commit)
        .orElseThrow(
            () ->
                new Failures.RequestRejected(
                    "invalid_field", "the catalog has no commit '" + commit + "'", field));
  }

  private static boolean same(Optional<byte[]> a, Optional<byte[]> b) {
    return a.isPresent() == b.isPresent() && (a.isEmpty() || Arrays.equals(a.get(), b.get()));
  }

  private static String message(String given, String fallback) {
    return given == null || given.isBlank() ? fallback : given.strip();
  }

  private static CatalogFailures.Conflict busy() {
    return new CatalogFailures.Conflict(
        "the catalog kept changing while this change was made; try again", null);
  }

  /** A template, with the first line of its README as its description. */
  public record Template(String name, String description, List<String> files) {}

  /**
   * A custom image in the list.
   *
   * @param commit the last commit that changed it
   * @param editUrl where to edit it in an external editor, when one is configured
   */
  public record ImageSummary(String name, String commit, String editUrl) {}

  /**
   * A custom image.
   *
   * @param head the catalog's head, which an update of a file read now is based on
   * @param commit the last commit that changed this image
   */
  public record ImageDetails(
      String name, String head, String commit, List<FileInfo> files, String editUrl) {}

  /** A file and its size in bytes. */
  public record FileInfo(String path, long size) {}

  /** A file's bytes as they are at {@code commit}. */
  public record FileContent(String path, byte[] content, String commit) {}

  /**
   * The changes of a custom image between two commits.
   *
   * @param from the older commit, {@code null} before the image existed
   */
  public record Diff(String from, String to, List<CatalogRepository.FileDiff> files) {}

  /**
   * A custom image at one commit, ready to build.
   *
   * @param context the files under {@code context/}, by path inside it
   * @param executables the paths in {@code context} that are executable
   */
  public record Snapshot(
      String name,
      String commit,
      String dockerfile,
      SortedMap<String, byte[]> context,
      java.util.Set<String> executables,
      BuildDefaults defaults) {}
}
