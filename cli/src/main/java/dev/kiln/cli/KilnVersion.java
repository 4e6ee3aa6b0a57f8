package dev.kiln.cli;

import picocli.CommandLine.IVersionProvider;

/** The version written in the jar's manifest. */
final class KilnVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = KilnVersion.class.getPackage().getImplementationVersion();
    return new String[] {"kiln " + (version == null ? "(development build)" : version)};
  }
}
