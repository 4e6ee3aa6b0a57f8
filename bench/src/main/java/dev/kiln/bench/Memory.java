package dev.kiln.bench;

import dev.kiln.cli.farm.Farm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Resident set sizes of the farm's processes, from {@code /proc}. */
final class Memory {
  private static final List<String> COMPONENTS =
      List.of(
          "api-gateway", "build-scheduler", "log-service", "build-worker-1", "kafka", "postgres");

  private Memory() {}

  static void print(String title, Farm farm) throws IOException {
    System.out.println();
    System.out.println(title + " (VmRSS, MiB):");
    System.out.println("| process | RSS |");
    System.out.println("|---|---|");
    for (String name : COMPONENTS) {
      long kib = rssKib(farm.process(name));
      System.out.printf("| %s | %.0f |%n", name, kib / 1024.0);
    }
  }

  /** The process's resident set, with its children's (PostgreSQL runs its server as children). */
  static long rssKib(ProcessHandle process) throws IOException {
    long total = ownRssKib(process.pid());
    for (ProcessHandle child : process.descendants().toList()) {
      total += ownRssKib(child.pid());
    }
    return total;
  }

  private static long ownRssKib(long pid) throws IOException {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    if (!Files.exists(status)) {
      return 0;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return 0;
  }
}
