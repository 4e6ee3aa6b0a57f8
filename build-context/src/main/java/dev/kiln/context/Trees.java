package dev.kiln.context;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Removes folders with everything in them, read-only folders included. */
public final class Trees {
  private Trees() {}

  /**
   * Deletes a file, a link, or a folder and all it holds; nothing when it does not exist.
   *
   * @return how many entries were removed
   */
  public static long delete(Path tree) throws IOException {
    if (!Files.exists(tree, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    long[] removed = {0};
    Files.walkFileTree(
        tree,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attributes) {
            // A context may carry folders without write permission; removing their entries
            // needs it.
            folder.toFile().setWritable(true, true);
            folder.toFile().setExecutable(true, true);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
              throws IOException {
            Files.delete(file);
            removed[0]++;
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path folder, IOException failure)
              throws IOException {
            if (failure != null) {
              throw failure;
            }
            Files.delete(folder);
            removed[0]++;
            return FileVisitResult.CONTINUE;
          }
        });
    return removed[0];
  }
}
