package dev.kiln.e2e;

import dev.kiln.cli.farm.FarmSettings;
import java.nio.file.Path;

/** Where the end-to-end tests run their farms: this checkout's services, on the test ports. */
final class TestFarms {
  private TestFarms() {}

  /**
   * A farm of this checkout with its data in {@code data}, its ports from {@code
   * kiln.e2e.port-base} (31000 by default) plus {@code offset}, so that a farm still shutting down
   * never holds the next one's ports.
   */
  static FarmSettings settings(Path data, int offset) {
    return FarmSettings.defaults(Path.of(System.getProperty("kiln.home")), data)
        .withPortBase(Integer.getInteger("kiln.e2e.port-base", 31000) + offset);
  }
}
