package dev.kiln.contracts.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.contracts.Digest;
import java.util.regex.Pattern;

/**
 * Where a build's Dockerfile and context come from: exactly one of {@code git}, {@code context} or
 * {@code catalog}; or an inline {@code dockerfile}, alone or together with an uploaded {@code
 * context}.
 *
 * @param git a repository to clone
 * @param context the digest of a context uploaded with {@code POST /api/v1/contexts}
 * @param dockerfile the text of a Dockerfile
 * @param catalog the name of a Dockerfile kept in Kiln's catalog
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildSource(GitSource git, Digest context, String dockerfile, String catalog) {
  private static final Pattern CATALOG_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

  public BuildSource {
    int given =
        (git != null ? 1 : 0)
            + (context != null ? 1 : 0)
            + (dockerfile != null ? 1 : 0)
            + (catalog != null ? 1 : 0);
    boolean inlineWithContext = given == 2 && dockerfile != null && context != null;
    if (given == 0) {
      throw new IllegalArgumentException(
          "source is empty: give one of git, context, dockerfile or catalog");
    }
    if (given > 1 && !inlineWithContext) {
      throw new IllegalArgumentException(
          "source has more than one of git, context, dockerfile and catalog"
              + " (only an inline dockerfile may come with a context)");
    }
    if (dockerfile != null && dockerfile.isBlank()) {
      throw new IllegalArgumentException("the inline dockerfile is empty");
    }
    if (catalog != null && !CATALOG_NAME.matcher(catalog).matches()) {
      throw new IllegalArgumentException(
          "catalog name '" + catalog + "' must be lower-case letters, digits, '.', '_' or '-'");
    }
  }

  public static BuildSource ofDockerfile(String dockerfile) {
    return new BuildSource(null, null, dockerfile, null);
  }

  public static BuildSource ofContext(Digest context) {
    return new BuildSource(null, context, null, null);
  }

  public static BuildSource ofGit(GitSource git) {
    return new BuildSource(git, null, null, null);
  }
}
