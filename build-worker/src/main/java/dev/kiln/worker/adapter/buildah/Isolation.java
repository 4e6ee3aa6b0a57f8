package dev.kiln.worker.adapter.buildah;

import java.util.Locale;

/** How buildah isolates a build's RUN steps. */
public enum Isolation {
  /** An OCI runtime container: its own network namespace and enforced CPU and memory limits. */
  OCI,
  /** A chroot: the host's network and no limits, but no runtime needed. */
  CHROOT;

  /** The value of buildah's {@code --isolation} flag. */
  public String flag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
