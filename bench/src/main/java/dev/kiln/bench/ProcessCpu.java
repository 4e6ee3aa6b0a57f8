package dev.kiln.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a process and its children used so far, from {@code /proc}: on a shared machine the CPU
 * spent per line says more than the wall-clock rate, which depends on what else runs.
 */
final class ProcessCpu {
  private static final double TICKS_PER_SECOND = 100;

  private ProcessCpu() {}

  static double seconds(ProcessHandle process) throws IOException {
    double total = ownSeconds(process.pid());
    for (ProcessHandle child : process.descendants().toList()) {
      total += ownSeconds(child.pid());
    }
    return total;
  }

  private static double ownSeconds(long pid) throws IOException {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    if (!Files.exists(stat)) {
      return 0;
    }
    String line = Files.readString(stat);
    // Fields after the command (which may hold spaces) start after its closing parenthesis.
    String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
    long userTicks = Long.parseLong(fields[11]);
    long systemTicks = Long.parseLong(fields[12]);
    return (userTicks + systemTicks) / TICKS_PER_SECOND;
  }
}
