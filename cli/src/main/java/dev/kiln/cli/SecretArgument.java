package dev.kiln.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code --secret id=ID,src=FILE} or {@code --secret id=ID,env=VAR}, as {@code docker build} takes
 * it.
 */
record SecretArgument(String id, String value) {
  static SecretArgument parse(String text, Map<String, String> env) {
    Map<String, String> fields = new HashMap<>();
    for (String part : text.split(",")) {
      int equals = part.indexOf('=');
      if (equals <= 0) {
        throw new UsageProblem("--secret '" + text + "' must look like id=ID,src=FILE");
      }
      fields.put(part.substring(0, equals).strip(), part.substring(equals + 1).strip());
    }
    String id = fields.get("id");
    if (id == null || id.isEmpty()) {
      throw new UsageProblem("--secret '" + text + "' has no id=");
    }
    String source = fields.containsKey("src") ? fields.get("src") : fields.get("source");
    if (source != null) {
      try {
        return new SecretArgument(id, Files.readString(Path.of(source), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UsageProblem("cannot read the secret '" + id + "' from '" + source + "'");
      }
    }
    String variable = fields.get("env");
    if (variable != null) {
      String value = env.get(variable);
      if (value == null) {
        throw new UsageProblem("the secret '" + id + "' names $" + variable + ", which is not set");
      }
      return new SecretArgument(id, value);
    }
    throw new UsageProblem("--secret '" + text + "' needs src=FILE or env=VAR");
  }
}
