package dev.kiln.gateway.domain.catalog;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Names and paths in the catalog repository. A custom image lives in {@code custom/<name>/} and
 * holds {@code Dockerfile}, {@code README.md}, {@code build.yaml} and files under {@code context/};
 * nothing may reach outside that folder.
 */
public final class CatalogPaths {
  public static final String TEMPLATES = "templates";
  public static final String CUSTOM = "custom";
  public static final String DOCKERFILE = "Dockerfile";
  public static final String README = "README.md";
  public static final String BUILD_YAML = "build.yaml";
  public static final String CONTEXT = "context";

  /** The same names builds accept in {@code source.catalog}. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

  private static final Set<String> TOP_FILES = Set.of(DOCKERFILE, README, BUILD_YAML);

  private CatalogPaths() {}

  /**
   * Checks the name of a custom image or template.
   *
   * @throws InvalidCatalogPathException for a name with {@code /}, {@code ..} or characters other
   *     than lower-case letters, digits, {@code .}, {@code _} and {@code -}
   */
  public static String requireName(String name) {
    if (name == null || name.isEmpty()) {
      throw new InvalidCatalogPathException("name", "a name is needed");
    }
    if (name.contains("/") || name.contains("\\")) {
      throw new InvalidCatalogPathException("name", "name '" + name + "' must not contain '/'");
    }
    if (name.contains("..")) {
      throw new InvalidCatalogPathException("name", "name '" + name + "' must not contain '..'");
    }
    if (!NAME.matcher(name).matches()) {
      throw new InvalidCatalogPathException(
          "name",
          "name '"
              + name
              + "' must be 1 to 63 lower-case letters, digits, '.', '_' or '-', starting with a"
              + " letter or digit");
    }
    return name;
  }

  /**
   * Checks a path inside an image's folder: one of its three files, or a file under {@code
   * context/}.
   *
   * @throws InvalidCatalogPathException for anything else, such as {@code ../x} or {@code /etc}
   */
  public static String requireFile(String path) {
    if (path == null || path.isEmpty()) {
      throw new InvalidCatalogPathException("path", "a file path is needed");
    }
    if (path.startsWith("/") || path.contains("\\") || path.indexOf('\0') >= 0) {
      throw new InvalidCatalogPathException(
          "path", "path '" + path + "' must be relative to the image's folder");
    }
    for (String part : path.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw new InvalidCatalogPathException(
            "path", "path '" + path + "' leaves the image's folder or has an empty part");
      }
      if (part.equals(".git")) {
        throw new InvalidCatalogPathException("path", "path '" + path + "' names a .git folder");
      }
    }
    if (TOP_FILES.contains(path) || path.startsWith(CONTEXT + "/")) {
      return path;
    }
    throw new InvalidCatalogPathException(
        "path",
        "path '"
            + path
            + "' is outside the image's files: use Dockerfile, README.md, build.yaml or"
            + " context/<file>");
  }

  /** The folder of a custom image in the repository. */
  public static String customFolder(String name) {
    return CUSTOM + "/" + requireName(name);
  }

  /** The folder of a template in the repository. */
  public static String templateFolder(String name) {
    return TEMPLATES + "/" + requireName(name);
  }
}
