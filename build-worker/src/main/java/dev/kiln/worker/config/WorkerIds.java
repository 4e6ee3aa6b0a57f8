package dev.kiln.worker.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/** Makes a worker id when none is configured: the host name and a short random suffix. */
final class WorkerIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  private WorkerIds() {}

  static String generate() {
    byte[] suffix = new byte[3];
    RANDOM.nextBytes(suffix);
    return hostName() + "-" + HexFormat.of().formatHex(suffix);
  }

  private static String hostName() {
    String name;
    try {
      name = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      name = "build-worker";
    }
    String cleaned = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
    return cleaned.isBlank() ? "build-worker" : cleaned;
  }
}
