package dev.kiln.worker.adapter.buildah;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.contracts.Digest;
import dev.kiln.contracts.ImageRef;
import dev.kiln.contracts.Platform;
import dev.kiln.contracts.spec.BuildLimits;
import dev.kiln.contracts.spec.BuildOptions;
import dev.kiln.contracts.spec.BuildSource;
import dev.kiln.contracts.spec.BuildSpec;
import dev.kiln.contracts.spec.NetworkMode;
import dev.kiln.contracts.spec.PullPolicy;
import dev.kiln.worker.app.EngineBuild;
import dev.kiln.worker.domain.DockerfileSteps;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BuildahCommandTest {
  private static final Path DATA = Path.of("/var/lib/kiln");
  private static final Path WORK = DATA.resolve("work/b-1");

  @Test
  void plainSpecGivesTheWorkersStorageCacheAndOciIsolation() throws Exception {
    BuildahCommand.Plan plan =
        command(Isolation.OCI).build(build(spec(BuildOptions.DEFAULTS, null)));

    assertThat(plan.arguments())
        .containsExactly(
            "buildah",
            "--root",
            "/var/lib/kiln/storage",
            "--runroot",
            "/var/lib/kiln/runroot",
            "--storage-driver",
            "overlay",
            "build",
            "--layers",
            "--force-rm",
            "--isolation",
            "oci",
            "--runtime",
            "runc",
            "--cgroup-parent",
            "kiln-b-1",
            "-f",
            "/var/lib/kiln/work/b-1/context/Dockerfile",
            "--iidfile",
            "/var/lib/kiln/work/b-1/iid",
            "--pull=missing",
            "/var/lib/kiln/work/b-1/context");
    assertThat(plan.notes()).isEmpty();
    assertThat(plan.shown())
        .isEqualTo(
            "buildah build --layers --force-rm --isolation oci --runtime runc"
                + " --cgroup-parent kiln-b-1 -f context/Dockerfile --iidfile iid --pull=missing"
                + " context");
  }

  @Test
  void everyOptionOfTheSpecBecomesItsFlag() throws Exception {
    Map<String, String> args = new LinkedHashMap<>();
    args.put("VERSION", "1.2");
    args.put("NOTE", "two words");
    BuildSpec spec =
        new BuildSpec(
            BuildSource.ofDockerfile("FROM scratch"),
            null,
            "runtime",
            args,
            List.of(),
            false,
            new BuildOptions(
                true, PullPolicy.ALWAYS, true, Platform.parse("linux/arm64/v8"), NetworkMode.NONE),
            Map.of("token", "s3cret"),
            new BuildLimits(1.5, 512, null),
            0,
            Map.of("team", "core"));
    EngineBuild build =
        new EngineBuild(
            "b",
            1,
            spec,
            WORK,
            WORK.resolve("context"),
            WORK.resolve("context/Dockerfile"),
            Map.of("token", WORK.resolve("secrets/secret-0")),
            Optional.empty(),
            DockerfileSteps.UNKNOWN);

    List<String> arguments = command(Isolation.OCI).build(build).arguments();

    assertThat(String.join(" ", arguments))
        .contains("--target runtime")
        .contains("--build-arg VERSION=1.2 --build-arg NOTE=two words")
        .contains("--label team=core")
        .contains("--no-cache")
        .contains("--pull=always")
        .contains("--platform linux/arm64/v8")
        .contains("--network none")
        .contains("--squash")
        .contains("--cpu-period 100000 --cpu-quota 150000")
        .contains("--memory 512m")
        .contains("--secret id=token,src=/var/lib/kiln/work/b-1/secrets/secret-0")
        .doesNotContain("s3cret");
    assertThat(arguments.getLast()).isEqualTo("/var/lib/kiln/work/b-1/context");
    assertThat(command(Isolation.OCI).build(build).shown())
        .contains("--build-arg 'NOTE=two words'");
  }

  @Test
  void chrootIsolationHasNoRuntimeAndSaysLimitsAreNotEnforced() throws Exception {
    BuildOptions options = BuildOptions.DEFAULTS;
    BuildSpec spec =
        new BuildSpec(
            BuildSource.ofDockerfile("FROM scratch"),
            null,
            null,
            null,
            null,
            false,
            options,
            null,
            new BuildLimits(null, 256, null),
            0,
            null);

    BuildahCommand.Plan plan = command(Isolation.CHROOT).build(build(spec));

    assertThat(plan.arguments()).contains("chroot").doesNotContain("--runtime", "--memory");
    assertThat(plan.notes()).singleElement().asString().contains("not enforced");
  }

  @Test
  void networkNoneWithChrootIsolationIsRefused() {
    BuildSpec spec = spec(new BuildOptions(false, null, false, null, NetworkMode.NONE), null);

    assertThatThrownBy(() -> command(Isolation.CHROOT).build(build(spec)))
        .isInstanceOf(BuildahCommand.UnsupportedBuildException.class)
        .hasMessageContaining("network none needs oci isolation");
  }

  @Test
  void pushSkipsTlsOnlyForInsecureRegistries() {
    BuildahCommand command = command(Isolation.OCI);
    Digest image = Digest.parse("sha256:" + "a".repeat(64));

    List<String> insecure =
        command.push(image, ImageRef.parse("127.0.0.1:5000/team/app:1.0"), WORK.resolve("d"));
    List<String> secure =
        command.push(image, ImageRef.parse("localhost:5000/team/app:1.0"), WORK.resolve("d"));

    assertThat(insecure)
        .containsSubsequence(
            "push",
            "--tls-verify=false",
            "--digestfile",
            "/var/lib/kiln/work/b-1/d",
            "a".repeat(64))
        .endsWith("docker://127.0.0.1:5000/team/app:1.0");
    assertThat(secure).doesNotContain("--tls-verify=false");
  }

  @Test
  void everyProcessReadsTheWorkersRegistriesConf() {
    assertThat(command(Isolation.OCI).environment())
        .containsEntry("CONTAINERS_REGISTRIES_CONF", "/var/lib/kiln/registries.conf")
        .containsEntry("TMPDIR", "/var/lib/kiln/tmp");
  }

  private static BuildahCommand command(Isolation isolation) {
    return new BuildahCommand(
        new BuildahSettings(
            "buildah",
            "skopeo",
            DATA.resolve("storage"),
            DATA.resolve("runroot"),
            "overlay",
            isolation,
            "runc",
            Set.of("127.0.0.1:5000"),
            DATA.resolve("registries.conf"),
            DATA.resolve("tmp"),
            Duration.ofSeconds(5),
            null,
            null,
            0));
  }

  private static BuildSpec spec(BuildOptions options, BuildLimits limits) {
    return new BuildSpec(
        BuildSource.ofDockerfile("FROM scratch"),
        null,
        null,
        null,
        null,
        false,
        options,
        null,
        limits,
        0,
        null);
  }

  private static EngineBuild build(BuildSpec spec) {
    return new EngineBuild(
        "b",
        1,
        spec,
        WORK,
        WORK.resolve("context"),
        WORK.resolve("context/Dockerfile"),
        Map.of(),
        Optional.empty(),
        DockerfileSteps.UNKNOWN);
  }
}
