package dev.kiln.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/**
 * A reference to an image, in the grammar of the distribution spec: {@code
 * [registry[:port]/]repository[:tag][@digest]}. A first path component counts as a registry when it
 * contains a dot or a colon or is {@code localhost}; without one the registry is {@code docker.io}.
 *
 * @param registry host and optional port
 * @param repository the lower-case path, such as {@code team/app}
 * @param tag the tag, {@code null} when only a digest is given; {@code latest} when neither is
 * @param digest the pinned manifest digest, or {@code null}
 */
public record ImageRef(String registry, String repository, String tag, Digest digest) {
  public static final String DEFAULT_REGISTRY = "docker.io";
  private static final Pattern REGISTRY =
      Pattern.compile(
          "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]{1,5})?"
              + "|\\[[0-9a-fA-F:]+\\](?::[0-9]{1,5})?");
  private static final Pattern PATH_COMPONENT =
      Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");

  public ImageRef {
    if (registry == null || !REGISTRY.matcher(registry).matches()) {
      throw new IllegalArgumentException("invalid registry host '" + registry + "'");
    }
    if (repository == null || repository.isEmpty()) {
      throw new IllegalArgumentException("image repository is missing");
    }
    for (String component : repository.split("/", -1)) {
      if (!PATH_COMPONENT.matcher(component).matches()) {
        throw new IllegalArgumentException(
            "invalid repository '"
                + repository
                + "': path components are lower-case letters, digits and single separators");
      }
    }
    if (tag != null && !TAG.matcher(tag).matches()) {
      throw new IllegalArgumentException(
          "invalid tag '" + tag + "': up to 128 of letters, digits, '_', '.', '-'");
    }
    if (tag == null && digest == null) {
      tag = "latest";
    }
  }

  /** Parses a reference such as {@code localhost:5000/team/app:1.0}. */
  @JsonCreator
  public static ImageRef parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("image reference is empty");
    }
    if (text.length() > 255) {
      throw new IllegalArgumentException("image reference is longer than 255 characters");
    }
    String rest = text;
    Digest digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = Digest.parse(rest.substring(at + 1));
      rest = rest.substring(0, at);
    }
    String tag = null;
    int lastSlash = rest.lastIndexOf('/');
    int colon = rest.lastIndexOf(':');
    if (colon > lastSlash) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    String registry = DEFAULT_REGISTRY;
    int firstSlash = rest.indexOf('/');
    if (firstSlash > 0) {
      String first = rest.substring(0, firstSlash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = first;
        rest = rest.substring(firstSlash + 1);
      }
    }
    if (registry.equals(DEFAULT_REGISTRY) && !rest.contains("/")) {
      rest = "library/" + rest;
    }
    return new ImageRef(registry, rest, tag, digest);
  }

  /** The reference without tag or digest: {@code registry/repository}. */
  public String name() {
    return registry + "/" + repository;
  }

  @JsonValue
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(name());
    if (tag != null) {
      text.append(':').append(tag);
    }
    if (digest != null) {
      text.append('@').append(digest);
    }
    return text.toString();
  }
}
