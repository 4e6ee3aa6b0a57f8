package dev.kiln.cli.client;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the CLI finds the server and its token: a flag, else an environment variable ({@code
 * KILN_SERVER}, {@code KILN_TOKEN}), else the config file ({@code $KILN_CONFIG}, or {@code
 * $XDG_CONFIG_HOME/kiln/config}, or {@code ~/.config/kiln/config}), else the local farm's default
 * address.
 *
 * @param server the gateway's base URL
 * @param token the API token, or {@code null} when none is known
 */
public record ClientConfig(URI server, String token) {
  public static final URI DEFAULT_SERVER = URI.create("http://127.0.0.1:8080");

  /** Resolves the settings in the documented order. */
  public static ClientConfig resolve(String serverFlag, String tokenFlag, Map<String, String> env) {
    Properties file = read(file(env));
    String server = first(serverFlag, env.get("KILN_SERVER"), file.getProperty("server"));
    String token = first(tokenFlag, env.get("KILN_TOKEN"), file.getProperty("token"));
    URI uri = server == null ? DEFAULT_SERVER : parseServer(server);
    return new ClientConfig(uri, token);
  }

  /** The config file's path for this environment. */
  public static Path file(Map<String, String> env) {
    if (env.get("KILN_CONFIG") != null) {
      return Path.of(env.get("KILN_CONFIG"));
    }
    Path base =
        env.get("XDG_CONFIG_HOME") != null
            ? Path.of(env.get("XDG_CONFIG_HOME"))
            : Path.of(System.getProperty("user.home"), ".config");
    return base.resolve("kiln").resolve("config");
  }

  /**
   * Stores a server and its token in the config file, readable by its owner only, unless the file
   * names another server.
   *
   * @return whether the file now holds them
   */
  public static boolean store(Path file, URI server, String token) {
    Properties existing = read(file);
    String known = existing.getProperty("server");
    if (known != null && !parseServer(known).equals(server)) {
      return false;
    }
    Properties written = new Properties();
    written.putAll(existing);
    written.setProperty("server", server.toString());
    written.setProperty("token", token);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path partial = Files.createTempFile(file.toAbsolutePath().getParent(), ".config", ".tmp");
      Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
      try (var out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
        written.store(out, "kiln CLI: the server and the API token to use");
      }
      Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static URI parseServer(String text) {
    String trimmed = text.strip().replaceAll("/+$", "");
    URI uri = URI.create(trimmed);
    if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "server '" + text + "' is not an http:// or https:// URL such as " + DEFAULT_SERVER);
    }
    return uri;
  }

  private static Properties read(Path file) {
    Properties properties = new Properties();
    if (Files.isRegularFile(file)) {
      try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        properties.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    return properties;
  }

  private static String first(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    return null;
  }

  public Optional<String> tokenIfAny() {
    return Optional.ofNullable(token);
  }
}
