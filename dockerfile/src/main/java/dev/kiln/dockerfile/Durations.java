package dev.kiln.dockerfile;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go duration strings ({@code 1h2m3.5s}, {@code 300ms}), as HEALTHCHECK's flags take them. */
final class Durations {
  private static final Pattern PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
  private static final double MILLISECOND = 1e6;

  private Durations() {}

  /** Whether the value is a duration that is 0 or at least a millisecond. */
  static boolean valid(String value) {
    if (value.equals("0")) {
      return true;
    }
    Matcher part = PART.matcher(value);
    int end = 0;
    double nanos = 0;
    while (part.find() && part.start() == end) {
      end = part.end();
      double amount = Double.parseDouble(part.group(1));
      nanos +=
          amount
              * switch (part.group(2)) {
                case "ns" -> 1;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
              };
    }
    return end == value.length() && end > 0 && (nanos == 0 || nanos >= MILLISECOND);
  }
}
