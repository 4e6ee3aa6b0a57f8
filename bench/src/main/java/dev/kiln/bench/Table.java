package dev.kiln.bench;

import java.util.ArrayList;
import java.util.List;

/** The side-by-side figures of {@link BuildOverhead}, printed as a Markdown table. */
final class Table {
  private final List<String> rows = new ArrayList<>();

  void add(String name, List<Double> kiln, List<Double> build, List<Double> buildPush) {
    double k = median(kiln);
    double b = median(build);
    double bp = median(buildPush);
    rows.add(
        "| %s | %.0f | %.0f | %.0f | %.2f× | %.2f× | %+.0f |"
            .formatted(name, k, b, bp, k / b, k / bp, k - bp));
  }

  void print(int rounds) {
    System.out.println();
    System.out.printf(
        "Medians of %d rounds, in ms; each round runs Kiln and buildah back to back.%n", rounds);
    System.out.println(
        "| case | Kiln POST→SUCCEEDED (build+push) | buildah build | buildah build+push |"
            + " Kiln / build | Kiln / build+push | Kiln − build+push |");
    System.out.println("|---|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
