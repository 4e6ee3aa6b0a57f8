package dev.kiln.worker.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the line each instruction of a Dockerfile starts on by a minimal scan: parser directives at
 * the top (only {@code escape} matters here), comment and blank lines, lines continued with the
 * escape character, and here-document bodies. It understands nothing else of the Dockerfile.
 *
 * <p>Interim: the {@code dockerfile} module's parser will replace it behind {@link
 * InstructionLines}; until then this keeps step, layer and error lines without a second parser.
 */
public final class DockerfileScan implements InstructionLines {
  private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*([a-zA-Z]+)\\s*=\\s*(\\S*)\\s*$");
  private static final Pattern HEREDOC = Pattern.compile("<<(-?)([\"']?)([A-Za-z_][\\w.-]*)\\2");
  private static final Pattern FROM_AS =
      Pattern.compile("(?i)^FROM\\s+.*\\s+AS\\s+(\\S+)\\s*$", Pattern.DOTALL);

  private record Stage(String name, List<Instruction> instructions, String from) {}

  private final List<Stage> stages;
  private final Map<Integer, Integer> matchedStages = new HashMap<>();

  private DockerfileScan(List<Stage> stages) {
    this.stages = stages;
  }

  /** Scans the text of a Dockerfile. */
  public static DockerfileScan of(String dockerfile) {
    String[] lines = dockerfile.split("\r?\n", -1);
    char escape = '\\';
    int i = 0;
    for (; i < lines.length; i++) {
      Matcher directive = DIRECTIVE.matcher(lines[i].strip());
      if (!directive.matches()) {
        break;
      }
      if (directive.group(1).equalsIgnoreCase("escape") && directive.group(2).equals("`")) {
        escape = '`';
      }
    }
    List<Stage> stages = new ArrayList<>();
    List<String> heredocEnds = new ArrayList<>();
    boolean continued = false;
    StringBuilder text = new StringBuilder();
    for (; i < lines.length; i++) {
      String line = lines[i];
      String stripped = line.strip();
      if (!heredocEnds.isEmpty()) {
        if (stripped.equals(heredocEnds.getFirst())) {
          heredocEnds.removeFirst();
        }
        continue;
      }
      if (stripped.isEmpty() || stripped.startsWith("#")) {
        continue;
      }
      if (!continued) {
        text.setLength(0);
        String keyword = stripped.split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
        Instruction instruction = new Instruction(i + 1, keyword);
        if (keyword.equals("FROM")) {
          stages.add(new Stage(null, new ArrayList<>(), null));
        }
        if (!stages.isEmpty()) {
          stages.getLast().instructions().add(instruction);
        }
      }
      continued = stripped.charAt(stripped.length() - 1) == escape;
      text.append(continued ? stripped.substring(0, stripped.length() - 1) : stripped).append(' ');
      if (!continued) {
        finish(stages, text.toString().strip(), heredocEnds);
      }
    }
    return new DockerfileScan(List.copyOf(stages));
  }

  /** Names the stage of a complete FROM, and notes the here-documents an instruction opens. */
  private static void finish(List<Stage> stages, String text, List<String> heredocEnds) {
    if (stages.isEmpty()) {
      return;
    }
    Stage stage = stages.getLast();
    if (stage.instructions().size() == 1 && stage.from() == null) {
      Matcher as = FROM_AS.matcher(text);
      stages.set(
          stages.size() - 1,
          new Stage(as.matches() ? as.group(1) : null, stage.instructions(), normalize(text)));
      return;
    }
    String keyword = stage.instructions().getLast().keyword();
    if (keyword.equals("RUN") || keyword.equals("COPY") || keyword.equals("ADD")) {
      Matcher heredoc = HEREDOC.matcher(text);
      while (heredoc.find()) {
        heredocEnds.add(heredoc.group(3));
      }
    }
  }

  @Override
  public Optional<Integer> line(int stage, int stagesBuilt, int index, String instruction) {
    Integer scanned = matchedStages.get(stage);
    if (scanned == null) {
      scanned = matchStage(stage, stagesBuilt, instruction);
      if (scanned == null) {
        return Optional.empty();
      }
      matchedStages.put(stage, scanned);
    }
    List<Instruction> instructions = stages.get(scanned).instructions();
    if (index < 1 || index > instructions.size()) {
      return Optional.empty();
    }
    Instruction found = instructions.get(index - 1);
    String keyword = instruction.strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
    return found.keyword().equals(keyword) ? Optional.of(found.line()) : Optional.empty();
  }

  /**
   * The Dockerfile stage of the engine's stage: the same position when the engine builds every
   * stage; otherwise (stages it skips) the next stage whose FROM reads the same.
   */
  private Integer matchStage(int stage, int stagesBuilt, String instruction) {
    if (stagesBuilt == stages.size()) {
      return stage - 1;
    }
    int after = matchedStages.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
    String from = normalize(instruction);
    for (int s = after + 1; s < stages.size(); s++) {
      if (from.equalsIgnoreCase(stages.get(s).from())) {
        return s;
      }
    }
    return null;
  }

  @Override
  public List<Instruction> imageStage(String target) {
    if (stages.isEmpty()) {
      return List.of();
    }
    if (target == null) {
      return List.copyOf(stages.getLast().instructions());
    }
    return stages.stream()
        .filter(stage -> target.equalsIgnoreCase(stage.name()))
        .reduce((first, second) -> second)
        .map(stage -> List.copyOf(stage.instructions()))
        .orElse(List.of());
  }

  private static String normalize(String text) {
    return text.strip().replaceAll("\\s+", " ");
  }
}
