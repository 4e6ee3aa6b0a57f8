package dev.kiln.gateway.adapter.git;

import dev.kiln.gateway.app.DataDirectory;
import dev.kiln.gateway.app.Failures;
import dev.kiln.gateway.app.catalog.CatalogFailures;
import dev.kiln.gateway.app.catalog.CatalogRepository;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.AbstractTreeIterator;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * The catalog as a bare git repository under the data directory ({@code catalog.git}), written with
 * JGit without a working tree: every change builds a tree in memory and moves {@code main} with a
 * compare-and-set on its old id.
 */
@ApplicationScoped
public class GitCatalogRepository implements CatalogRepository {
  static final String BRANCH = "main";
  private static final String BRANCH_REF = Constants.R_HEADS + BRANCH;
  private static final String RESTORE_REF = "refs/kiln/restore";
  private static final int REMOTE_TIMEOUT_SECONDS = 60;

  private final Repository repository;

  public GitCatalogRepository(DataDirectory data) {
    this.repository = open(data.catalog());
  }

  private static Repository open(Path dir) {
    try {
      if (!Files.exists(dir.resolve("HEAD"))) {
        Git.init().setBare(true).setDirectory(dir.toFile()).setInitialBranch(BRANCH).call().close();
      }
      return new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
    } catch (IOException | GitAPIException e) {
      throw new IllegalStateException("cannot open the catalog repository " + dir, e);
    }
  }

  @PreDestroy
  void close() {
    repository.close();
  }

  @Override
  public Optional<String> head() {
    try {
      Ref ref = repository.exactRef(BRANCH_REF);
      return ref == null || ref.getObjectId() == null
          ? Optional.empty()
          : Optional.of(ref.getObjectId().name());
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  @Override
  public Optional<String> resolve(String commit) {
    if (commit == null || !commit.matches("[0-9a-fA-F]{4,40}")) {
      return Optional.empty();
    }
    try {
      ObjectId id = repository.resolve(commit.toLowerCase(Locale.ROOT) + "^{commit}");
      return Optional.ofNullable(id).map(ObjectId::name);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  @Override
  public SortedMap<String, Long> files(String commit, String folder) {
    SortedMap<String, Long> files = new TreeMap<>();
    try (RevWalk walk = new RevWalk(repository);
        TreeWalk tree = new TreeWalk(repository)) {
      tree.addTree(walk.parseCommit(ObjectId.fromString(commit)).getTree());
      tree.setRecursive(true);
      tree.setFilter(PathFilter.create(folder));
      while (tree.next()) {
        files.put(
            tree.getPathString(),
            tree.getObjectReader().getObjectSize(tree.getObjectId(0), Constants.OBJ_BLOB));
      }
      return files;
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  @Override
  public Optional<byte[]> read(String commit, String path) {
    try (RevWalk walk = new RevWalk(repository)) {
      RevCommit revision = walk.parseCommit(ObjectId.fromString(commit));
      try (TreeWalk tree = TreeWalk.forPath(repository, path, revision.getTree())) {
        if (tree == null || tree.getFileMode(0).getObjectType() != Constants.OBJ_BLOB) {
          return Optional.empty();
        }
        return Optional.of(repository.open(tree.getObjectId(0)).getBytes());
      }
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  @Override
  public boolean executable(String commit, String path) {
    try (RevWalk walk = new RevWalk(repository);
        TreeWalk tree =
            TreeWalk.forPath(
                repository, path, walk.parseCommit(ObjectId.fromString(commit)).getTree())) {
      return tree != null && FileMode.EXECUTABLE_FILE.equals(tree.getFileMode(0));
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  @Override
  public String commit(String parent, List<FileChange> changes, String author, String message)
      throws HeadMovedException {
    try (ObjectInserter inserter = repository.newObjectInserter();
        ObjectReader reader = repository.newObjectReader();
        RevWalk walk = new RevWalk(reader)) {
      DirCache index = DirCache.newInCore();
      if (parent != null) {
        DirCacheBuilder builder = index.builder();
        builder.addTree(
            new byte[0],
            DirCacheEntry.STAGE_0,
            reader,
            walk.parseCommit(ObjectId.fromString(parent)).getTree());
        builder.finish();
      }
      DirCacheEditor editor = index.editor();
      for (FileChange change : changes) {
        if (change.content() == null) {
          editor.add(
              index.findEntry(change.path()) >= 0
                  ? new DirCacheEditor.DeletePath(change.path())
                  : new DirCacheEditor.DeleteTree(change.path()));
        } else {
          ObjectId blob = inserter.insert(Constants.OBJ_BLOB, change.content());
          editor.add(
              new DirCacheEditor.PathEdit(change.path()) {
                @Override
                public void apply(DirCacheEntry entry) {
                  entry.setFileMode(
                      change.executable() ? FileMode.EXECUTABLE_FILE : FileMode.REGULAR_FILE);
                  entry.setObjectId(blob);
                }
              });
        }
      }
      editor.finish();
      ObjectId tree = index.writeTree(inserter);
      PersonIdent person = new PersonIdent(author, author + "@users.kiln.invalid");
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(tree);
      if (parent != null) {
        commit.setParentId(ObjectId.fromString(parent));
      }
      commit.setAuthor(person);
      commit.setCommitter(person);
      commit.setMessage(message.endsWith("\n") ? message : message + "\n");
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      RefUpdate update = repository.updateRef(BRANCH_REF);
      update.setNewObjectId(id);
      update.setExpectedOldObjectId(
          parent == null ? ObjectId.zeroId() : ObjectId.fromString(parent));
      update.setRefLogMessage("kiln: " + message.lines().findFirst().orElse(""), false);
      RefUpdate.Result result = update.update(walk);
      return switch (result) {
        case NEW, FAST_FORWARD -> id.name();
        case LOCK_FAILURE, REJECTED, REJECTED_CURRENT_BRANCH, REJECTED_MISSING_OBJECT ->
            throw new HeadMovedException(parent);
        default -> throw new IOException("moving " + BRANCH + " failed: " + result);
      };
    } catch (IOException e) {
      throw new Failures.StorageUnavailable("the catalog repository cannot be written", e);
    }
  }

  @Override
  public List<CommitInfo> log(String path, int limit) {
    Optional<String> head = head();
    if (head.isEmpty()) {
      return List.of();
    }
    List<CommitInfo> commits = new ArrayList<>();
    try (Git git = Git.wrap(repository)) {
      for (RevCommit commit :
          git.log().add(ObjectId.fromString(head.get())).addPath(path).setMaxCount(limit).call()) {
        String parent = commit.getParentCount() > 0 ? commit.getParent(0).name() : null;
        List<String> paths =
            changes(parent, commit.name(), path).stream().map(FileDiff::path).toList();
        PersonIdent author = commit.getAuthorIdent();
        commits.add(
            new CommitInfo(
                commit.name(),
                author.getName(),
                author.getEmailAddress(),
                author.getWhenAsInstant(),
                commit.getFullMessage().strip(),
                paths));
      }
      return commits;
    } catch (GitAPIException | IOException e) {
      throw unreadable(e);
    }
  }

  @Override
  public List<FileDiff> diff(String from, String to, String folder) {
    try {
      return scan(from, to, folder, true);
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  private List<FileDiff> changes(String from, String to, String folder) throws IOException {
    return scan(from, to, folder, false);
  }

  private List<FileDiff> scan(String from, String to, String folder, boolean patches)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ObjectReader reader = repository.newObjectReader();
        DiffFormatter formatter = new DiffFormatter(out)) {
      formatter.setRepository(repository);
      formatter.setPathFilter(
          folder == null || folder.isEmpty() ? TreeFilter.ALL : PathFilter.create(folder));
      formatter.setDetectRenames(true);
      List<FileDiff> diffs = new ArrayList<>();
      for (DiffEntry entry : formatter.scan(tree(reader, from), tree(reader, to))) {
        String patch = null;
        if (patches) {
          out.reset();
          formatter.format(entry);
          formatter.flush();
          patch = out.toString(StandardCharsets.UTF_8);
        }
        String path =
            entry.getChangeType() == DiffEntry.ChangeType.DELETE
                ? entry.getOldPath()
                : entry.getNewPath();
        diffs.add(new FileDiff(path, change(entry.getChangeType()), patch));
      }
      return diffs;
    }
  }

  private static String change(DiffEntry.ChangeType type) {
    return switch (type) {
      case ADD -> "added";
      case MODIFY -> "modified";
      case DELETE -> "deleted";
      case RENAME -> "renamed";
      case COPY -> "copied";
    };
  }

  private AbstractTreeIterator tree(ObjectReader reader, String commit) throws IOException {
    if (commit == null) {
      return new EmptyTreeIterator();
    }
    try (RevWalk walk = new RevWalk(reader)) {
      CanonicalTreeParser parser = new CanonicalTreeParser();
      parser.reset(reader, walk.parseCommit(ObjectId.fromString(commit)).getTree());
      return parser;
    }
  }

  @Override
  public String push(Remote remote) {
    String head =
        head()
            .orElseThrow(
                () -> new Failures.RequestRejected("empty_catalog", "the catalog is empty", null));
    try (Git git = Git.wrap(repository)) {
      Iterable<PushResult> results =
          git.push()
              .setRemote(remote.url())
              .setRefSpecs(new RefSpec(BRANCH_REF + ":" + Constants.R_HEADS + remote.branch()))
              .setCredentialsProvider(credentials(remote))
              .setTimeout(REMOTE_TIMEOUT_SECONDS)
              .call();
      for (PushResult result : results) {
        for (RemoteRefUpdate update : result.getRemoteUpdates()) {
          switch (update.getStatus()) {
            case OK, UP_TO_DATE -> {}
            default ->
                throw new CatalogFailures.RemoteRejected(
                    "the remote "
                        + remote
                        + " refused the push: "
                        + refusal(update)
                        + "; the catalog is unchanged");
          }
        }
      }
      return head;
    } catch (GitAPIException e) {
      throw new CatalogFailures.RemoteUnavailable(
          "cannot push to " + remote + ": " + e.getMessage(), e);
    }
  }

  private static String refusal(RemoteRefUpdate update) {
    String reason =
        switch (update.getStatus()) {
          case REJECTED_NONFASTFORWARD ->
              "its branch has commits the catalog does not have (not a fast-forward);"
                  + " restore from it first, or back up to another branch";
          case REJECTED_REMOTE_CHANGED -> "its branch moved while the catalog was pushed";
          default -> update.getStatus().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        };
    return update.getMessage() == null ? reason : reason + " (" + update.getMessage() + ")";
  }

  @Override
  public Restored restore(Remote remote) {
    try (Git git = Git.wrap(repository)) {
      git.fetch()
          .setRemote(remote.url())
          .setRefSpecs(new RefSpec("+" + Constants.R_HEADS + remote.branch() + ":" + RESTORE_REF))
          .setCredentialsProvider(credentials(remote))
          .setTimeout(REMOTE_TIMEOUT_SECONDS)
          .call();
      Ref fetched = repository.exactRef(RESTORE_REF);
      if (fetched == null || fetched.getObjectId() == null) {
        throw new CatalogFailures.RemoteRejected(
            "the remote "
                + remote
                + " has no branch "
                + remote.branch()
                + "; the catalog is unchanged");
      }
      String from = head().orElse(null);
      String to = fetched.getObjectId().name();
      List<FileDiff> changes = changes(from, to, "");
      try (RevWalk walk = new RevWalk(repository)) {
        RefUpdate update = repository.updateRef(BRANCH_REF);
        update.setNewObjectId(fetched.getObjectId());
        update.setExpectedOldObjectId(from == null ? ObjectId.zeroId() : ObjectId.fromString(from));
        update.setForceUpdate(true);
        update.setRefLogMessage("kiln: restore from " + remote.url(), false);
        RefUpdate.Result result = update.update(walk);
        switch (result) {
          case NEW, FORCED, FAST_FORWARD, NO_CHANGE -> {}
          default ->
              throw new CatalogFailures.Conflict(
                  "the catalog changed while it was being restored; nothing was restored",
                  head().orElse(null));
        }
      }
      return new Restored(from, to, changes);
    } catch (GitAPIException e) {
      throw new CatalogFailures.RemoteUnavailable(
          "cannot fetch from " + remote + ": " + e.getMessage() + "; the catalog is unchanged", e);
    } catch (IOException e) {
      throw new Failures.StorageUnavailable("the catalog repository cannot be written", e);
    } finally {
      dropRestoreRef();
    }
  }

  private void dropRestoreRef() {
    try {
      if (repository.exactRef(RESTORE_REF) != null) {
        RefUpdate delete = repository.updateRef(RESTORE_REF);
        delete.setForceUpdate(true);
        delete.delete();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + RESTORE_REF, e);
    }
  }

  private static CredentialsProvider credentials(Remote remote) {
    return remote.username() == null
        ? null
        : new UsernamePasswordCredentialsProvider(
            remote.username(), remote.password() == null ? "" : remote.password());
  }

  private static Failures.StorageUnavailable unreadable(Exception e) {
    return new Failures.StorageUnavailable("the catalog repository cannot be read", e);
  }
}
