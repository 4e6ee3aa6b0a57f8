package dev.kiln.worker.app;

import dev.kiln.context.Trees;
import dev.kiln.contracts.Digest;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;

/**
 * Keeps the uploaded contexts a worker unpacked, by digest, so a context built again (a retry, a
 * rebuild of an unchanged folder) is not downloaded and unpacked again: its files are hard-linked
 * into the new workspace, which costs one link per file whatever their size. Builds only read their
 * context, and removing a link from a workspace leaves the kept file whole. Past {@code maxBytes}
 * the least recently used contexts are dropped.
 */
public final class CachedContexts implements ContextFetcher {
  private final ContextFetcher origin;
  private final Path root;
  private final long maxBytes;
  private final Clock clock;
  private final Map<Digest, Object> downloads = new ConcurrentHashMap<>();
  // Links are made under the read lock, so eviction (the write lock) never removes a tree in use.
  private final ReadWriteLock use = new ReentrantReadWriteLock();

  /**
   * @param origin where contexts come from the first time
   * @param root the folder holding one unpacked tree per digest
   * @param maxBytes the most bytes of files kept
   */
  public CachedContexts(ContextFetcher origin, Path root, long maxBytes, Clock clock) {
    this.origin = origin;
    this.root = root;
    this.maxBytes = maxBytes;
    this.clock = clock;
  }

  @Override
  public boolean isCached(Digest context) {
    return Files.isDirectory(root.resolve(context.hex()));
  }

  @Override
  public long fetch(Digest context, Path target, Cancellation cancellation)
      throws SourceFetchException, InterruptedException {
    Path kept = root.resolve(context.hex());
    boolean downloaded = false;
    long entries;
    use.readLock().lock();
    try {
      synchronized (downloads.computeIfAbsent(context, digest -> new Object())) {
        if (!Files.isDirectory(kept)) {
          download(context, kept, cancellation);
          downloaded = true;
        }
      }
      Files.setLastModifiedTime(kept, FileTime.from(clock.instant()));
      entries = linkTree(kept, target);
    } catch (IOException e) {
      throw new SourceFetchException("cannot use the worker's copy of context " + context, e);
    } finally {
      use.readLock().unlock();
    }
    if (downloaded) {
      try {
        evict();
      } catch (IOException e) {
        // The context is in place; the cache is only larger than it should be until next time.
      }
    }
    return entries;
  }

  /** Drops the least recently used contexts until the kept files fit {@code maxBytes}. */
  public void evict() throws IOException {
    use.writeLock().lock();
    try {
      List<Path> trees = new ArrayList<>();
      try (Stream<Path> entries = Files.list(root)) {
        entries
            .filter(Files::isDirectory)
            .filter(dir -> !name(dir).startsWith("."))
            .forEach(trees::add);
      }
      trees.sort(Comparator.comparing(CachedContexts::modified));
      long total = 0;
      List<Long> sizes = new ArrayList<>();
      for (Path tree : trees) {
        long size = size(tree);
        sizes.add(size);
        total += size;
      }
      for (int i = 0; i < trees.size() && total > maxBytes; i++) {
        Trees.delete(trees.get(i));
        total -= sizes.get(i);
      }
    } finally {
      use.writeLock().unlock();
    }
  }

  private void download(Digest context, Path kept, Cancellation cancellation)
      throws SourceFetchException, InterruptedException, IOException {
    Path partial = Files.createDirectories(root).resolve("." + context.hex() + ".partial");
    Trees.delete(partial);
    Files.createDirectories(partial);
    try {
      origin.fetch(context, partial, cancellation);
      Files.move(partial, kept, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Trees.delete(partial);
    }
  }

  /** Recreates the tree under {@code target}: folders made, files hard-linked, links copied. */
  private static long linkTree(Path source, Path target) throws IOException {
    long[] entries = {0};
    List<Path[]> folders = new ArrayList<>();
    Files.walkFileTree(
        source,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes)
              throws IOException {
            Path copy = target.resolve(source.relativize(dir).toString());
            Files.createDirectories(copy);
            if (!dir.equals(source)) {
              folders.add(new Path[] {dir, copy});
              entries[0]++;
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
              throws IOException {
            Path copy = target.resolve(source.relativize(file).toString());
            if (attributes.isSymbolicLink()) {
              Files.createSymbolicLink(copy, Files.readSymbolicLink(file));
            } else {
              Files.createLink(copy, file);
            }
            entries[0]++;
            return FileVisitResult.CONTINUE;
          }
        });
    // Folder modes and times last, as unpacking does, since filling a folder changes its time.
    for (Path[] folder : folders.reversed()) {
      Files.setPosixFilePermissions(
          folder[1], Files.getPosixFilePermissions(folder[0], LinkOption.NOFOLLOW_LINKS));
      Files.setLastModifiedTime(folder[1], Files.getLastModifiedTime(folder[0]));
    }
    return entries[0];
  }

  private static long size(Path tree) throws IOException {
    try (Stream<Path> files = Files.walk(tree)) {
      return files
          .filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
          .mapToLong(file -> file.toFile().length())
          .sum();
    }
  }

  private static FileTime modified(Path tree) {
    try {
      return Files.getLastModifiedTime(tree);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  private static String name(Path path) {
    return path.getFileName().toString();
  }
}
