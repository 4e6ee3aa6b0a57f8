package dev.kiln.gateway.domain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The symbolic links of a build context seen so far, and where a path inside the context really
 * leads once they are followed. Resolution works like the kernel's: {@code ..} after a link climbs
 * from the link's target, not from the link, so a chain of links that each look harmless is still
 * caught when together they climb out.
 */
final class ContextTree {
  /** Linux gives up after 40 links in one lookup (ELOOP); so does this. */
  private static final int MAX_LINKS = 40;

  private final Map<String, String> symlinks = new HashMap<>();

  /** Why a path cannot be resolved inside the context. */
  enum Escape {
    OUTSIDE,
    LOOP
  }

  /** A path resolved to its place in the context, or the reason it has none. */
  record Resolution(List<String> path, Escape escape) {
    boolean inside() {
      return escape == null;
    }
  }

  /** Splits a path written relative to the context root; absolute paths have no place in it. */
  static Optional<List<String>> components(String path) {
    if (path.startsWith("/")) {
      return Optional.empty();
    }
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (!part.isEmpty() && !part.equals(".")) {
        parts.add(part);
      }
    }
    return Optional.of(parts);
  }

  /**
   * Remembers a symbolic link at {@code location} (already resolved) pointing at {@code target}.
   */
  void addSymlink(List<String> location, String target) {
    symlinks.put(String.join("/", location), target);
  }

  /** The links recorded so far, by resolved location. */
  Map<String, String> symlinks() {
    return Map.copyOf(symlinks);
  }

  /**
   * Follows {@code path} from the root through every known link.
   *
   * @param followLast whether a link in the last component is followed too
   */
  Resolution resolve(List<String> path, boolean followLast) {
    Deque<String> pending = new ArrayDeque<>(path);
    List<String> resolved = new ArrayList<>();
    int links = 0;
    while (!pending.isEmpty()) {
      String part = pending.pollFirst();
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (resolved.isEmpty()) {
          return new Resolution(resolved, Escape.OUTSIDE);
        }
        resolved.removeLast();
        continue;
      }
      resolved.add(part);
      String target = symlinks.get(String.join("/", resolved));
      if (target == null || (pending.isEmpty() && !followLast)) {
        continue;
      }
      if (++links > MAX_LINKS) {
        return new Resolution(resolved, Escape.LOOP);
      }
      if (target.startsWith("/")) {
        return new Resolution(resolved, Escape.OUTSIDE);
      }
      resolved.removeLast();
      List<String> targetParts = List.of(target.split("/"));
      for (int i = targetParts.size() - 1; i >= 0; i--) {
        pending.addFirst(targetParts.get(i));
      }
    }
    return new Resolution(resolved, null);
  }
}
