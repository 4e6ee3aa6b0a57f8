package dev.kiln.contracts.spec;

import dev.kiln.contracts.Platform;

/**
 * Engine options of a build.
 *
 * @param noCache build every step again instead of reusing cached layers
 * @param pull when to pull base images
 * @param squash squash the new layers into one
 * @param platform the platform to build for; the worker's own when absent
 * @param network the network RUN steps get
 */
public record BuildOptions(
    boolean noCache, PullPolicy pull, boolean squash, Platform platform, NetworkMode network) {
  public static final BuildOptions DEFAULTS = new BuildOptions(false, null, false, null, null);

  public BuildOptions {
    pull = pull == null ? PullPolicy.MISSING : pull;
    network = network == null ? NetworkMode.DEFAULT : network;
  }
}
