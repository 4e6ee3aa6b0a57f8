package dev.kiln.contracts.spec;

/** Checks on paths that must stay inside a build context. */
public final class ContextPaths {
  private ContextPaths() {}

  /**
   * Refuses a path that is absolute or climbs out with {@code ..}.
   *
   * @param field the field that holds the path, named in the error
   */
  public static void requireRelative(String field, String path) {
    if (path.startsWith("/") || path.contains("\\") || path.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          field + " '" + path + "' must be a relative path inside the context");
    }
    for (String part : path.split("/")) {
      if (part.equals("..")) {
        throw new IllegalArgumentException(
            field + " '" + path + "' must not leave the context with '..'");
      }
    }
  }
}
