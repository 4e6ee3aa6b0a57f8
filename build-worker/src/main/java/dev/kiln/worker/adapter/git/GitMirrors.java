package dev.kiln.worker.adapter.git;

import dev.kiln.contracts.spec.GitSource;
import dev.kiln.worker.app.BuildOutput;
import dev.kiln.worker.app.Cancellation;
import dev.kiln.worker.app.RepositoryFetcher;
import dev.kiln.worker.app.SourceFetchException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * Git sources through JGit, from a bare mirror of each repository that the worker keeps under its
 * data folder, so a second build of the same repository fetches only what changed. A branch or a
 * tag is fetched shallow (depth 1); a commit id is looked up in the mirror first and fetched with
 * every branch and tag, in full, only when the mirror lacks it, since servers need not hand out a
 * commit by its id. The files are then written from the mirror's objects without any git metadata.
 *
 * <p>HTTPS credentials come from the worker's settings, per host; {@code file://} URLs and plain
 * paths are refused unless allowed, so a build cannot read the worker's own disk.
 */
public final class GitMirrors implements RepositoryFetcher {
  private static final Pattern COMMIT_ID = Pattern.compile("[0-9a-fA-F]{4,40}");
  private static final String DEFAULT_USER = "x-access-token";

  /**
   * How the worker reaches repositories.
   *
   * @param mirrors the folder holding one bare mirror per repository URL
   * @param allowFileUrls whether {@code file://} URLs and local paths may be built
   * @param tokens HTTPS credentials by host: a token, or {@code user:token}
   */
  public record Settings(Path mirrors, boolean allowFileUrls, Map<String, String> tokens) {
    public Settings {
      tokens = Map.copyOf(tokens);
    }
  }

  private final Settings settings;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  public GitMirrors(Settings settings) {
    this.settings = settings;
  }

  @Override
  public Checkout checkout(
      GitSource source, Path target, BuildOutput output, Cancellation cancellation)
      throws SourceFetchException, InterruptedException {
    URIish uri = parse(source.url());
    String shown = uri.setUser(null).setPass(null).toString();
    CredentialsProvider credentials = credentials(uri);
    AtomicBoolean stopped = new AtomicBoolean();
    try (Cancellation.Registration stop = cancellation.onStop(() -> stopped.set(true))) {
      synchronized (locks.computeIfAbsent(source.url(), url -> new Object())) {
        try (Repository mirror = openMirror(source.url())) {
          ObjectId commit =
              fetch(mirror, source, credentials, shown, output, new FetchProgress(stopped));
          if (stopped.get()) {
            throw new InterruptedException("stopped while fetching " + shown);
          }
          long files = new TreeCheckout(mirror, stopped).write(commit, source.subdir(), target);
          return new Checkout(commit.name(), files);
        }
      }
    } catch (IOException e) {
      throw new SourceFetchException(
          "cannot check out " + shown + ": " + e.getMessage(),
          "Retry the build; if it fails again, read the worker's log.",
          e);
    }
  }

  private ObjectId fetch(
      Repository mirror,
      GitSource source,
      CredentialsProvider credentials,
      String shown,
      BuildOutput output,
      FetchProgress progress)
      throws SourceFetchException, IOException {
    String ref = source.ref();
    Map<String, Ref> remote;
    try {
      remote =
          Git.lsRemoteRepository()
              .setRemote(source.url())
              .setCredentialsProvider(credentials)
              .callAsMap();
    } catch (GitAPIException e) {
      throw unreachable(shown, e);
    }
    String remoteName = remoteRef(remote, ref);
    if (remoteName == null) {
      if (ref != null && COMMIT_ID.matcher(ref).matches()) {
        return commitById(mirror, source, credentials, shown, output, progress);
      }
      throw new SourceFetchException(
          "the repository " + shown + " has no branch, tag or commit '" + ref + "'",
          "Check the ref: a branch or tag name, or a commit id of the repository.",
          null);
    }
    String local = remoteName.equals("HEAD") ? "refs/kiln/HEAD" : remoteName;
    output.system("fetching " + shown + " " + remoteName + " (shallow) into the worker's mirror");
    run(
        fetchCommand(mirror, source, credentials, progress)
            .setRefSpecs("+" + remoteName + ":" + local)
            .setDepth(1),
        shown,
        output,
        progress,
        mirror);
    return peeled(mirror, local, shown, ref);
  }

  private ObjectId commitById(
      Repository mirror,
      GitSource source,
      CredentialsProvider credentials,
      String shown,
      BuildOutput output,
      FetchProgress progress)
      throws SourceFetchException, IOException {
    ObjectId found = commitIn(mirror, source.ref());
    if (found != null) {
      output.system("commit " + found.name() + " is in the worker's mirror already; no fetch");
      return found;
    }
    output.system("fetching every branch and tag of " + shown + " to find " + source.ref());
    FetchCommand all =
        fetchCommand(mirror, source, credentials, progress)
            .setRefSpecs("+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*");
    if (!mirror.getObjectDatabase().getShallowCommits().isEmpty()) {
      all.setUnshallow(true);
    }
    run(all, shown, output, progress, mirror);
    found = commitIn(mirror, source.ref());
    if (found == null) {
      throw new SourceFetchException(
          "the repository " + shown + " has no branch, tag or commit '" + source.ref() + "'",
          "Check the ref: a branch or tag name, or a commit id of the repository.",
          null);
    }
    return found;
  }

  private FetchCommand fetchCommand(
      Repository mirror,
      GitSource source,
      CredentialsProvider credentials,
      FetchProgress progress) {
    return Git.wrap(mirror)
        .fetch()
        .setRemote(source.url())
        .setCredentialsProvider(credentials)
        .setProgressMonitor(progress)
        .setRemoveDeletedRefs(false);
  }

  private void run(
      FetchCommand fetch,
      String shown,
      BuildOutput output,
      FetchProgress progress,
      Repository mirror)
      throws SourceFetchException, IOException {
    long before = size(mirror.getDirectory().toPath().resolve("objects"));
    long started = System.nanoTime();
    try {
      fetch.call();
    } catch (GitAPIException e) {
      throw unreachable(shown, e);
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    long bytes = Math.max(0, size(mirror.getDirectory().toPath().resolve("objects")) - before);
    output.system(
        "fetched "
            + progress.objectsReceived()
            + " objects ("
            + bytes
            + " bytes stored) in "
            + millis
            + " ms");
  }

  /** The remote ref a build's ref names: HEAD, a branch, a tag or a full ref name. */
  private static String remoteRef(Map<String, Ref> remote, String ref) {
    if (ref == null) {
      return remote.containsKey("HEAD") ? "HEAD" : null;
    }
    for (String name : List.of("refs/heads/" + ref, "refs/tags/" + ref, ref)) {
      if (remote.containsKey(name) && (name.startsWith("refs/") || name.equals("HEAD"))) {
        return name;
      }
    }
    return null;
  }

  private static ObjectId peeled(Repository mirror, String local, String shown, String ref)
      throws IOException, SourceFetchException {
    ObjectId commit = mirror.resolve(local + "^{commit}");
    if (commit == null) {
      throw new SourceFetchException(
          "'" + (ref == null ? "HEAD" : ref) + "' of " + shown + " does not name a commit",
          "Use a branch, a tag of a commit, or a commit id.",
          null);
    }
    return commit;
  }

  private static ObjectId commitIn(Repository mirror, String id) {
    try {
      ObjectId found = mirror.resolve(id + "^{commit}");
      return found != null && mirror.getObjectDatabase().has(found) ? found : null;
    } catch (IOException | RuntimeException e) {
      // An ambiguous or unknown abbreviation is simply not there.
      return null;
    }
  }

  private Repository openMirror(String url) throws IOException {
    Path dir = settings.mirrors().resolve(sha256(url).substring(0, 24) + ".git");
    Repository repository = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
    if (!Files.isDirectory(dir.resolve("objects"))) {
      Files.createDirectories(dir.getParent());
      repository.create(true);
      Files.writeString(dir.resolve("kiln-url"), url + "\n");
    }
    return repository;
  }

  private URIish parse(String url) throws SourceFetchException {
    URIish uri;
    try {
      uri = new URIish(url);
    } catch (URISyntaxException e) {
      throw new SourceFetchException(
          "'" + url + "' is not a git URL", "Give the repository's https:// URL.", e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean local = scheme.isEmpty() || scheme.equals("file");
    if (local && !settings.allowFileUrls()) {
      throw new SourceFetchException(
          "'"
              + url
              + "' is a repository on the worker's own disk, which this worker does not build",
          "Give the repository's https:// URL.",
          null);
    }
    if (!local && !scheme.equals("https") && !scheme.equals("http")) {
      throw new SourceFetchException(
          "git URLs with '" + scheme + "' are not supported by this worker",
          "Give the repository's https:// URL.",
          null);
    }
    return uri;
  }

  private CredentialsProvider credentials(URIish uri) {
    String token = uri.getHost() == null ? null : settings.tokens().get(uri.getHost());
    if (token == null) {
      return null;
    }
    int colon = token.indexOf(':');
    return colon > 0
        ? new UsernamePasswordCredentialsProvider(
            token.substring(0, colon), token.substring(colon + 1))
        : new UsernamePasswordCredentialsProvider(DEFAULT_USER, token);
  }

  private static SourceFetchException unreachable(String shown, Exception e) {
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new SourceFetchException(
        "cannot fetch " + shown + ": " + reason,
        "Check the URL and that the worker may read the repository"
            + " (kiln.worker.git.tokens for private HTTPS repositories).",
        e);
  }

  private static long size(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              file -> {
                try {
                  return Files.size(file);
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
