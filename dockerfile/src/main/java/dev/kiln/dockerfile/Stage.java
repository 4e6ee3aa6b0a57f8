package dev.kiln.dockerfile;

import java.util.List;
import java.util.Locale;

/**
 * One build stage: a FROM and the instructions up to the next FROM.
 *
 * @param index its position, from 0, as {@code COPY --from=0} names it
 * @param name its name after {@code AS} as written, or {@code null}
 * @param lines from its FROM to its last instruction
 * @param instructions its instructions, the FROM first; each is one build step
 */
public record Stage(int index, String name, LineRange lines, List<Instruction> instructions) {
  public Stage {
    instructions = List.copyOf(instructions);
  }

  public Instruction.From from() {
    return (Instruction.From) instructions.getFirst();
  }

  /** The name other stages use for it: names are matched without regard to case. */
  public String key() {
    return name == null ? null : name.toLowerCase(Locale.ROOT);
  }

  /** How many steps building it takes: one per instruction, FROM included. */
  public int stepCount() {
    return instructions.size();
  }
}
