package dev.kiln.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Turns one source line into a typed instruction, checking its flags and arguments. */
final class InstructionParser {
  private static final Pattern STAGE_NAME = Pattern.compile("[a-z][a-z0-9_.-]*");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final Set<String> NO_FLAGS = Set.of();
  private static final Set<String> HEALTHCHECK_FLAGS =
      Set.of("interval", "timeout", "start-period", "start-interval", "retries");

  private final char escape;

  InstructionParser(char escape) {
    this.escape = escape;
  }

  Instruction parse(SourceLine line) {
    return parse(line.text().strip(), line.lines(), line.heredocs(), false);
  }

  private Instruction parse(String text, LineRange at, List<Heredoc> heredocs, boolean trigger) {
    String[] parts = WHITESPACE.split(text, 2);
    String keyword = parts[0].toUpperCase(Locale.ROOT);
    Flags flags = Flags.extract(parts.length == 2 ? parts[1] : "");
    String rest = flags.rest();
    return switch (keyword) {
      case "FROM" -> from(text, at, flags);
      case "RUN" -> run(text, at, flags, heredocs);
      case "CMD" -> {
        flags.allow(keyword, at, NO_FLAGS, NO_FLAGS);
        yield new Instruction.Cmd(at, text, command(keyword, rest, at));
      }
      case "ENTRYPOINT" -> {
        flags.allow(keyword, at, NO_FLAGS, NO_FLAGS);
        yield new Instruction.Entrypoint(at, text, command(keyword, rest, at));
      }
      case "COPY" -> copy(text, at, flags, heredocs);
      case "ADD" -> add(text, at, flags, heredocs);
      case "ENV" -> {
        flags.allow(keyword, at, NO_FLAGS, NO_FLAGS);
        List<KeyValue> pairs = nameValues(keyword, rest, at);
        yield new Instruction.Env(at, text, pairs, isLegacy(rest));
      }
      case "LABEL" -> {
        flags.allow(keyword, at, NO_FLAGS, NO_FLAGS);
        List<KeyValue> pairs = nameValues(keyword, rest, at);
        yield new Instruction.Label(at, text, pairs, isLegacy(rest));
      }
      case "ARG" -> arg(text, at, flags);
      case "EXPOSE" -> {
        flags.allow(keyword, at, NO_FLAGS, NO_FLAGS);
        yield new Instruction.Expose(at, text, fields(keyword, rest, at));
      }
      case "VOLUME" -> {
        flags.allow(keyword, at, NO_FLAGS, NO_FLAGS);
        List<String> paths = JsonArray.parse(rest).orElseGet(() -> split(rest));
        if (paths.isEmpty() || paths.stream().anyMatch(String::isBlank)) {
          throw new DockerfileException(at, "VOLUME needs at least one path, and none empty");
        }
        yield new Instruction.Volume(at, text, paths);
      }
      case "USER" -> new Instruction.User(at, text, single(keyword, flags, rest, at));
      case "WORKDIR" -> new Instruction.Workdir(at, text, single(keyword, flags, rest, at));
      case "STOPSIGNAL" -> new Instruction.StopSignal(at, text, single(keyword, flags, rest, at));
      case "MAINTAINER" -> new Instruction.Maintainer(at, text, single(keyword, flags, rest, at));
      case "SHELL" -> {
        flags.allow(keyword, at, NO_FLAGS, NO_FLAGS);
        List<String> shell =
            JsonArray.parse(rest)
                .orElseThrow(
                    () ->
                        new DockerfileException(
                            at,
                            "SHELL takes its arguments in JSON form,"
                                + " such as SHELL [\"/bin/bash\", \"-c\"]"));
        if (shell.isEmpty()) {
          throw new DockerfileException(at, "SHELL needs at least the shell's executable");
        }
        yield new Instruction.Shell(at, text, shell);
      }
      case "HEALTHCHECK" -> healthcheck(text, at, flags);
      case "ONBUILD" -> onbuild(text, at, flags, heredocs, trigger);
      default ->
          throw new DockerfileException(
              at,
              "unknown instruction: " + parts[0] + (keyword.isEmpty() ? "" : suggestion(keyword)));
    };
  }

  private static String suggestion(String keyword) {
    List<String> known =
        List.of(
            "ADD",
            "ARG",
            "CMD",
            "COPY",
            "ENTRYPOINT",
            "ENV",
            "EXPOSE",
            "FROM",
            "HEALTHCHECK",
            "LABEL",
            "MAINTAINER",
            "ONBUILD",
            "RUN",
            "SHELL",
            "STOPSIGNAL",
            "USER",
            "VOLUME",
            "WORKDIR");
    return known.stream()
        .filter(candidate -> distance(candidate, keyword) <= 2)
        .findFirst()
        .map(candidate -> " (did you mean " + candidate + "?)")
        .orElse("");
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      int[] current = new int[b.length() + 1];
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      previous = current;
    }
    return previous[b.length()];
  }

  private Instruction from(String text, LineRange at, Flags flags) {
    flags.allow("FROM", at, Set.of("platform"), NO_FLAGS);
    List<String> args = split(flags.rest());
    if (args.size() != 1 && args.size() != 3) {
      throw new DockerfileException(
          at, "FROM takes either one or three arguments: FROM image [AS name]");
    }
    String name = null;
    if (args.size() == 3) {
      if (!args.get(1).equalsIgnoreCase("AS")) {
        throw new DockerfileException(
            at, "FROM's second argument must be AS, as in FROM image AS name");
      }
      name = args.get(2);
      if (!STAGE_NAME.matcher(name.toLowerCase(Locale.ROOT)).matches()) {
        throw new DockerfileException(
            at,
            "invalid stage name '"
                + name
                + "': it starts with a letter and holds only letters, digits, '-', '_' and '.'");
      }
    }
    return new Instruction.From(at, text, args.getFirst(), name, flags.single("platform"));
  }

  private Instruction run(String text, LineRange at, Flags flags, List<Heredoc> heredocs) {
    flags.allow("RUN", at, Set.of("network", "security"), Set.of("mount"));
    String network = flags.single("network");
    if (network != null && !Set.of("default", "none", "host").contains(network)) {
      throw new DockerfileException(
          at, "RUN --network=" + network + " is not one of default, none, host");
    }
    String security = flags.single("security");
    if (security != null && !Set.of("insecure", "sandbox").contains(security)) {
      throw new DockerfileException(
          at, "RUN --security=" + security + " is not one of insecure, sandbox");
    }
    List<Mount> mounts = flags.all("mount").stream().map(m -> Mount.parse(m, at)).toList();
    return new Instruction.Run(
        at,
        text,
        command("RUN", flags.rest(), at),
        mounts,
        network,
        security,
        List.copyOf(heredocs));
  }

  private Command command(String keyword, String rest, LineRange at) {
    if (rest.isEmpty()) {
      throw new DockerfileException(at, keyword + " needs a command");
    }
    Optional<List<String>> exec = JsonArray.parse(rest);
    return exec.<Command>map(Command.ExecForm::new).orElseGet(() -> new Command.ShellForm(rest));
  }

  private Instruction copy(String text, LineRange at, Flags flags, List<Heredoc> heredocs) {
    flags.allow("COPY", at, Set.of("from", "chown", "chmod", "link", "parents"), Set.of("exclude"));
    List<String> args = sourcesAndDestination("COPY", flags.rest(), at, heredocs);
    String from = flags.single("from");
    if (from != null && from.isBlank()) {
      throw new DockerfileException(at, "COPY --from needs a stage name, index or image");
    }
    return new Instruction.Copy(
        at,
        text,
        args.subList(0, args.size() - 1),
        args.getLast(),
        from,
        flags.single("chown"),
        flags.single("chmod"),
        flags.bool("link", at),
        flags.bool("parents", at),
        flags.all("exclude"),
        List.copyOf(heredocs));
  }

  private Instruction add(String text, LineRange at, Flags flags, List<Heredoc> heredocs) {
    flags.allow(
        "ADD",
        at,
        Set.of("chown", "chmod", "link", "keep-git-dir", "checksum", "unpack"),
        Set.of("exclude"));
    List<String> args = sourcesAndDestination("ADD", flags.rest(), at, heredocs);
    String checksum = flags.single("checksum");
    if (checksum != null && !checksum.matches("sha(256|384|512):[0-9a-fA-F]+")) {
      throw new DockerfileException(
          at, "ADD --checksum=" + checksum + " must be sha256:, sha384: or sha512: and hex");
    }
    return new Instruction.Add(
        at,
        text,
        args.subList(0, args.size() - 1),
        args.getLast(),
        flags.single("chown"),
        flags.single("chmod"),
        flags.bool("link", at),
        flags.bool("keep-git-dir", at),
        checksum,
        flags.all("exclude"),
        flags.single("unpack") == null ? null : flags.bool("unpack", at),
        List.copyOf(heredocs));
  }

  private static List<String> sourcesAndDestination(
      String keyword, String rest, LineRange at, List<Heredoc> heredocs) {
    List<String> args = JsonArray.parse(rest).orElseGet(() -> split(rest));
    if (args.size() < 2) {
      throw new DockerfileException(
          at,
          keyword
              + " needs at least one source and a destination"
              + (heredocs.isEmpty() ? "" : " (a heredoc source still needs a destination)"));
    }
    return List.copyOf(args);
  }

  private Instruction arg(String text, LineRange at, Flags flags) {
    flags.allow("ARG", at, NO_FLAGS, NO_FLAGS);
    List<String> words = Words.split(flags.rest(), escape);
    if (words.isEmpty()) {
      throw new DockerfileException(at, "ARG needs a name, as in ARG NAME or ARG NAME=default");
    }
    List<KeyValue> arguments = new ArrayList<>();
    for (String word : words) {
      int equals = word.indexOf('=');
      String name = equals < 0 ? word : word.substring(0, equals);
      if (name.isEmpty()) {
        throw new DockerfileException(at, "ARG '" + word + "' has no name before '='");
      }
      arguments.add(new KeyValue(name, equals < 0 ? null : word.substring(equals + 1)));
    }
    return new Instruction.Arg(at, text, arguments);
  }

  private boolean isLegacy(String rest) {
    List<String> words = Words.split(rest, escape);
    return !words.isEmpty() && !words.getFirst().contains("=");
  }

  /** ENV and LABEL: {@code k=v k2=v2}, or the old {@code k value with spaces}. */
  private List<KeyValue> nameValues(String keyword, String rest, LineRange at) {
    List<String> words = Words.split(rest, escape);
    if (words.isEmpty()) {
      throw new DockerfileException(at, keyword + " needs at least one name=value");
    }
    if (!words.getFirst().contains("=")) {
      String[] parts = WHITESPACE.split(rest, 2);
      if (parts.length < 2) {
        throw new DockerfileException(
            at, keyword + " " + parts[0] + " has no value; write " + keyword + " name=value");
      }
      return List.of(new KeyValue(parts[0], parts[1]));
    }
    List<KeyValue> pairs = new ArrayList<>();
    for (String word : words) {
      int equals = word.indexOf('=');
      if (equals < 0) {
        throw new DockerfileException(
            at, "can't find = in '" + word + "'; " + keyword + " takes name=value pairs");
      }
      if (equals == 0) {
        throw new DockerfileException(at, keyword + " names can not be blank: '" + word + "'");
      }
      pairs.add(new KeyValue(word.substring(0, equals), word.substring(equals + 1)));
    }
    return pairs;
  }

  private static List<String> fields(String keyword, String rest, LineRange at) {
    List<String> fields = split(rest);
    if (fields.isEmpty()) {
      throw new DockerfileException(at, keyword + " needs at least one argument");
    }
    return fields;
  }

  private static String single(String keyword, Flags flags, String rest, LineRange at) {
    flags.allow(keyword, at, NO_FLAGS, NO_FLAGS);
    if (rest.isEmpty()) {
      throw new DockerfileException(at, keyword + " needs exactly one argument");
    }
    return rest;
  }

  private static List<String> split(String rest) {
    return rest.isEmpty() ? List.of() : List.of(WHITESPACE.split(rest));
  }

  private Instruction healthcheck(String text, LineRange at, Flags flags) {
    flags.allow("HEALTHCHECK", at, HEALTHCHECK_FLAGS, NO_FLAGS);
    String[] parts = WHITESPACE.split(flags.rest(), 2);
    String type = parts[0].toUpperCase(Locale.ROOT);
    if (type.equals("NONE")) {
      if (parts.length > 1) {
        throw new DockerfileException(at, "HEALTHCHECK NONE takes no arguments");
      }
      return new Instruction.Healthcheck(at, text, null, null, null, null, null, null);
    }
    if (!type.equals("CMD")) {
      throw new DockerfileException(
          at, "HEALTHCHECK is followed by CMD command or NONE, not '" + parts[0] + "'");
    }
    if (parts.length < 2 || parts[1].isBlank()) {
      throw new DockerfileException(at, "HEALTHCHECK CMD needs a command");
    }
    String retries = flags.single("retries");
    Integer retryCount = null;
    if (retries != null) {
      try {
        retryCount = Integer.valueOf(retries);
      } catch (NumberFormatException e) {
        retryCount = -1;
      }
      if (retryCount < 0) {
        throw new DockerfileException(
            at, "HEALTHCHECK --retries=" + retries + " must be a whole number, 0 or more");
      }
    }
    return new Instruction.Healthcheck(
        at,
        text,
        command("HEALTHCHECK CMD", parts[1].strip(), at),
        duration(flags, "interval", at),
        duration(flags, "timeout", at),
        duration(flags, "start-period", at),
        duration(flags, "start-interval", at),
        retryCount);
  }

  private static String duration(Flags flags, String name, LineRange at) {
    String value = flags.single(name);
    if (value == null) {
      return null;
    }
    if (!Durations.valid(value)) {
      throw new DockerfileException(
          at,
          "HEALTHCHECK --"
              + name
              + "="
              + value
              + " is not a duration such as 30s, 1m30s or 500ms (0, or at least 1ms)");
    }
    return value;
  }

  private Instruction onbuild(
      String text, LineRange at, Flags flags, List<Heredoc> heredocs, boolean trigger) {
    flags.allow("ONBUILD", at, NO_FLAGS, NO_FLAGS);
    if (trigger) {
      throw new DockerfileException(at, "chaining ONBUILD via ONBUILD ONBUILD isn't allowed");
    }
    String rest = flags.rest();
    if (rest.isEmpty()) {
      throw new DockerfileException(at, "ONBUILD needs an instruction");
    }
    String inner = WHITESPACE.split(rest, 2)[0].toUpperCase(Locale.ROOT);
    if (inner.equals("FROM") || inner.equals("MAINTAINER")) {
      throw new DockerfileException(at, inner + " isn't allowed as an ONBUILD trigger");
    }
    return new Instruction.Onbuild(at, text, parse(rest, at, heredocs, true));
  }
}
