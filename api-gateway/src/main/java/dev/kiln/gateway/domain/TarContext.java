package dev.kiln.gateway.domain;

import dev.kiln.context.ContextArchive;
import java.io.IOException;
import java.io.InputStream;

/**
 * Checks that an uploaded build context is a tar archive (plain or gzip-compressed) that a worker
 * can unpack without writing anywhere but inside the folder it unpacks into. The rules are those of
 * {@link ContextArchive}, which the worker unpacks with, so an accepted context always unpacks.
 */
public final class TarContext {
  private TarContext() {}

  /**
   * What a valid context holds.
   *
   * @param gzip whether the archive is gzip-compressed, told by its first two bytes
   * @param entries how many entries it has
   */
  public record Summary(boolean gzip, long entries) {}

  /**
   * Reads a whole archive, compressed or not, and checks every entry.
   *
   * @throws InvalidContextException naming the first offending entry, or the broken archive
   */
  public static Summary inspect(InputStream raw) throws InvalidContextException {
    ContextArchive.Summary summary;
    try {
      summary = ContextArchive.inspect(raw);
    } catch (ContextArchive.UnsafeEntryException e) {
      throw new InvalidContextException(e.getMessage(), e.entry());
    } catch (IOException e) {
      throw new InvalidContextException("the context is " + e.getMessage(), null);
    }
    if (summary.entries() == 0) {
      throw new InvalidContextException(
          "the context is not a tar archive, or an empty one: it has no entries", null);
    }
    return new Summary(summary.gzip(), summary.entries());
  }
}
