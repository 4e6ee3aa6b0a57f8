package dev.kiln.dockerfile;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One {@code RUN --mount=…}.
 *
 * @param type {@code bind}, {@code cache}, {@code tmpfs}, {@code secret} or {@code ssh}
 * @param options the other options as written, by their canonical name ({@code target}, {@code
 *     source}, {@code from}, {@code id}, …)
 */
public record Mount(String type, Map<String, String> options) {
  private static final Set<String> TYPES = Set.of("bind", "cache", "tmpfs", "secret", "ssh");
  private static final Map<String, String> ALIASES =
      Map.of("dst", "target", "destination", "target", "src", "source", "ro", "readonly");
  private static final Set<String> KEYS =
      Set.of(
          "target",
          "source",
          "from",
          "id",
          "sharing",
          "mode",
          "uid",
          "gid",
          "readonly",
          "rw",
          "readwrite",
          "required",
          "size",
          "env");

  public Mount {
    options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }

  /** The folder or file the mount appears at, or {@code null}. */
  public String target() {
    return options.get("target");
  }

  /** The stage or image a bind or cache mount takes its files from, or {@code null}. */
  public String from() {
    return options.get("from");
  }

  /** Reads the CSV value of one {@code --mount} flag. */
  static Mount parse(String value, LineRange at) {
    String type = "bind";
    Map<String, String> options = new LinkedHashMap<>();
    for (String field : Csv.fields(value, at)) {
      String[] keyValue = field.split("=", 2);
      String key = keyValue[0].strip().toLowerCase(Locale.ROOT);
      key = ALIASES.getOrDefault(key, key);
      String setting = keyValue.length == 2 ? keyValue[1] : "true";
      if (key.equals("type")) {
        if (!TYPES.contains(setting)) {
          throw new DockerfileException(
              at, "unsupported mount type '" + setting + "'; use one of " + sorted(TYPES));
        }
        type = setting;
      } else if (KEYS.contains(key)) {
        options.put(key, setting);
      } else {
        throw new DockerfileException(
            at, "unexpected key '" + key + "' in --mount=" + value + "; known: " + sorted(KEYS));
      }
    }
    if ((type.equals("bind") || type.equals("cache") || type.equals("tmpfs"))
        && !options.containsKey("target")) {
      throw new DockerfileException(at, "--mount=" + value + " needs a target");
    }
    if (options.containsKey("sharing")
        && !Set.of("shared", "private", "locked").contains(options.get("sharing"))) {
      throw new DockerfileException(
          at, "mount sharing '" + options.get("sharing") + "' is not shared, private or locked");
    }
    return new Mount(type, options);
  }

  private static String sorted(Set<String> names) {
    return names.stream().sorted().toList().toString();
  }

  /** Comma-separated fields where a field may be double-quoted, as Go's CSV reader reads them. */
  private static final class Csv {
    static java.util.List<String> fields(String line, LineRange at) {
      java.util.List<String> fields = new java.util.ArrayList<>();
      StringBuilder field = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < line.length(); i++) {
        char ch = line.charAt(i);
        if (quoted) {
          if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else if (ch == '"') {
            quoted = false;
          } else {
            field.append(ch);
          }
        } else if (ch == '"') {
          quoted = true;
        } else if (ch == ',') {
          fields.add(field.toString());
          field.setLength(0);
        } else {
          field.append(ch);
        }
      }
      if (quoted) {
        throw new DockerfileException(at, "--mount=" + line + " has an unclosed quote");
      }
      fields.add(field.toString());
      return fields.stream().filter(f -> !f.isBlank()).toList();
    }
  }
}
