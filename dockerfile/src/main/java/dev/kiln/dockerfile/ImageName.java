package dev.kiln.dockerfile;

/**
 * An image reference split into its parts, read as Docker reads short names: without a registry it
 * is on {@code docker.io}, a one-part name there is under {@code library/}, and without tag or
 * digest it means {@code :latest}.
 *
 * @param registry the registry host (and port), {@code docker.io} when none is written
 * @param repository the path inside the registry
 * @param tag the tag as written, or {@code null}
 * @param digest the digest as written, or {@code null}
 */
public record ImageName(String registry, String repository, String tag, String digest) {
  public static final String DEFAULT_REGISTRY = "docker.io";

  public static ImageName parse(String reference) {
    String rest = reference;
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    String registry = DEFAULT_REGISTRY;
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = first;
        rest = rest.substring(slash + 1);
      }
    }
    if (registry.equals(DEFAULT_REGISTRY) && !rest.contains("/")) {
      rest = "library/" + rest;
    }
    return new ImageName(registry, rest, tag, digest);
  }

  /** Whether it names neither a tag nor a digest, so it builds from whatever is latest. */
  public boolean unpinned() {
    return tag == null && digest == null;
  }

  /** The full reference: {@code docker.io/library/busybox:latest}. */
  public String normalized() {
    return registry
        + "/"
        + repository
        + (tag != null ? ":" + tag : digest == null ? ":latest" : "")
        + (digest != null ? "@" + digest : "");
  }
}
