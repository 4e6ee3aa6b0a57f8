package dev.kiln.context;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The entries of a build context archive seen so far, and where a path inside the context really
 * leads once symbolic links are followed. Resolution works like the kernel's: {@code ..} after a
 * link climbs from the link's target, not from the link, so a chain of links that each look
 * harmless is still caught when together they climb out.
 */
final class ContextTree {
  /** Linux gives up after 40 links in one lookup (ELOOP); so does this. */
  private static final int MAX_LINKS = 40;

  enum Kind {
    FOLDER,
    FILE,
    SYMBOLIC_LINK
  }

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

  private final Map<String, Kind> kinds = new HashMap<>();
  private final Map<String, String> symlinks = new HashMap<>();

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

  /** What is at a resolved location, if anything; the folders on the way to it count. */
  Optional<Kind> kindAt(List<String> location) {
    return Optional.ofNullable(kinds.get(String.join("/", location)));
  }

  /**
   * Records an entry at a resolved location; missing folders on the way become folders, as
   * unpacking creates them.
   */
  void add(List<String> location, Kind kind, String linkTarget) {
    for (int i = 1; i < location.size(); i++) {
      kinds.putIfAbsent(String.join("/", location.subList(0, i)), Kind.FOLDER);
    }
    String key = String.join("/", location);
    kinds.put(key, kind);
    if (kind == Kind.SYMBOLIC_LINK) {
      symlinks.put(key, linkTarget);
    } else {
      symlinks.remove(key);
    }
  }

  /** The links recorded so far, by resolved location. */
  Map<String, String> symlinks() {
    return Map.copyOf(symlinks);
  }

  /** The first folder on the way to {@code location} that is a link or not a folder, if any. */
  Optional<String> firstNonFolderOnTheWay(List<String> location) {
    for (int i = 1; i < location.size(); i++) {
      String parent = String.join("/", location.subList(0, i));
      Kind kind = kinds.get(parent);
      if (kind != null && kind != Kind.FOLDER) {
        return Optional.of(parent);
      }
    }
    return Optional.empty();
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
