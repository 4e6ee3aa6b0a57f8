package dev.kiln.bench;

import dev.kiln.cli.farm.Farm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time the farm's processes used, from {@code /proc/<pid>/stat}: a figure that, unlike wall
 * time, does not depend on what else the machine runs.
 */
final class CpuTime {
  /** Linux reports {@code /proc} times in ticks of 1/100 s whatever the kernel's own rate. */
  private static final double TICK_MS = 10;

  private CpuTime() {}

  /** Milliseconds of CPU each named component used so far, the simulator (this JVM) included. */
  static Map<String, Double> snapshot(Farm farm, List<String> components) throws IOException {
    Map<String, Double> used = new LinkedHashMap<>();
    for (String name : components) {
      double ms = treeMs(farm.process(name));
      if (name.equals("postgres")) {
        ms += postmasterMs(farm.settings().data().resolve("postgres").toAbsolutePath());
      }
      used.put(name, ms);
    }
    used.put("simulator", ownMs(ProcessHandle.current().pid()));
    return used;
  }

  /**
   * The PostgreSQL server of the data folder: started as a daemon, it is no child of the farm's
   * process, so it is found by its command line.
   */
  private static double postmasterMs(Path dataDirectory) throws IOException {
    String flag = "-D " + dataDirectory;
    double total = 0;
    for (ProcessHandle process :
        ProcessHandle.allProcesses()
            .filter(p -> p.info().commandLine().map(c -> c.contains(flag)).orElse(false))
            .toList()) {
      total += treeMs(process);
    }
    return total;
  }

  /**
   * A process's time with its live descendants' and, through each one's children time, that of the
   * descendants that already ended (PostgreSQL runs a process per connection).
   */
  private static double treeMs(ProcessHandle process) throws IOException {
    double total = ownMs(process.pid());
    for (ProcessHandle child : process.descendants().toList()) {
      total += ownMs(child.pid());
    }
    return total;
  }

  private static double ownMs(long pid) throws IOException {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    if (!Files.exists(stat)) {
      return 0;
    }
    String text = Files.readString(stat);
    // Fields after the command name, which is in parentheses and may hold spaces.
    String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
    long ticks = 0;
    for (int field = 11; field <= 14; field++) { // utime, stime, cutime, cstime
      ticks += Long.parseLong(fields[field]);
    }
    return ticks * TICK_MS;
  }
}
