package dev.kiln.worker.adapter.buildah;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The working containers of a stopped build are found among those of other builds by the cgroup
 * parent buildah recorded with each: real buildah, a store of its own.
 */
class WorkingContainersIT {
  @TempDir Path data;

  @Test
  void onlyTheContainersMadeWithTheBuildsCgroupParentAreFound() throws Exception {
    BuildahSettings settings =
        new BuildahSettings(
            "buildah",
            "skopeo",
            data.resolve("storage"),
            data.resolve("runroot"),
            "overlay",
            Isolation.OCI,
            "runc",
            Set.of(),
            data.resolve("registries.conf"),
            data,
            Duration.ofSeconds(1),
            null,
            null,
            0);
    BuildahCommand commands = new BuildahCommand(settings);
    String stopped = buildah(commands, "from", "--cgroup-parent", "kiln-stopped-1", "scratch");
    String other = buildah(commands, "from", "--cgroup-parent", "kiln-running-1", "scratch");
    try {
      List<String> found =
          WorkingContainers.ofCgroupParent(
              buildah(commands, "containers", "--json"), settings, "kiln-stopped-1");

      assertThat(found)
          .hasSize(1)
          .allSatisfy(id -> assertThat(id).startsWith(idOf(commands, stopped)));
    } finally {
      buildah(commands, "rm", stopped, other);
    }
  }

  private static String idOf(BuildahCommand commands, String name) throws Exception {
    return buildah(commands, "inspect", "--format", "{{.ContainerID}}", name);
  }

  private static String buildah(BuildahCommand commands, String... arguments)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(commands.buildah(List.of(arguments)));
    Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + err);
    }
    return out.strip();
  }
}
