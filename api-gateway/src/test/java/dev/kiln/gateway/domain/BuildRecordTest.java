package dev.kiln.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.contracts.BuildState;
import dev.kiln.contracts.Digest;
import dev.kiln.contracts.events.BuildError;
import dev.kiln.contracts.events.BuildStatusChanged;
import dev.kiln.contracts.events.ErrorCategory;
import dev.kiln.contracts.events.ImageInfo;
import dev.kiln.contracts.spec.BuildSource;
import dev.kiln.contracts.spec.BuildSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildRecordTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Digest DIGEST = Digest.parse("sha256:" + "ab".repeat(32));

  @Test
  void acceptedBuildKeepsSecretIdsButNotTheirValues() {
    BuildSpec spec =
        new BuildSpec(
            BuildSource.ofDockerfile("FROM scratch"),
            null,
            null,
            null,
            null,
            false,
            null,
            Map.of("npm", "t0ken"),
            null,
            0,
            null);

    BuildRecord build = BuildRecord.accepted("id-1", "anonymous", spec, T0);

    assertThat(build.status()).isEqualTo(BuildState.QUEUED);
    assertThat(build.attempt()).isEqualTo(1);
    assertThat(build.spec().secrets()).containsExactly(Map.entry("npm", BuildSpec.REDACTED));
    assertThat(build.usedSecrets()).isTrue();
  }

  @Test
  void runningThenSucceededSetsWorkerTimesAndImage() {
    ImageInfo image = new ImageInfo(DIGEST, DIGEST, List.of(), 42, List.of(), true);

    BuildRecord running =
        queued().apply(change(BuildState.ASSIGNED, BuildState.RUNNING, 1, "w1", null, null), at(5));
    BuildRecord done =
        running.apply(
            change(BuildState.RUNNING, BuildState.SUCCEEDED, 1, null, image, null), at(9));

    assertThat(running.startedAt()).isEqualTo(at(5));
    assertThat(running.worker()).isEqualTo("w1");
    assertThat(done.status()).isEqualTo(BuildState.SUCCEEDED);
    assertThat(done.worker()).isEqualTo("w1");
    assertThat(done.image()).isEqualTo(image);
    assertThat(done.finishedAt()).isEqualTo(at(9));
    assertThat(done.updatedAt()).isEqualTo(at(9));
    assertThat(done.finished()).isTrue();
  }

  @Test
  void requeueStartsTheNextAttemptWithoutTheLostOnesWorkerAndStart() {
    BuildRecord running =
        queued().apply(change(BuildState.ASSIGNED, BuildState.RUNNING, 1, "w1", null, null), at(5));

    BuildRecord requeued =
        running.apply(change(BuildState.RUNNING, BuildState.QUEUED, 2, null, null, null), at(8));

    assertThat(requeued.attempt()).isEqualTo(2);
    assertThat(requeued.worker()).isNull();
    assertThat(requeued.startedAt()).isNull();
    assertThat(requeued.queuedAt()).isEqualTo(at(8));
    assertThat(requeued.finished()).isFalse();
  }

  @Test
  void failureKeepsItsError() {
    BuildError error =
        new BuildError(ErrorCategory.RUN_FAILED, "exit 2", "look at step 3", 3, "RUN make", 4, 2);

    BuildRecord failed =
        queued().apply(change(BuildState.RUNNING, BuildState.FAILED, 1, "w1", null, error), at(7));

    assertThat(failed.error()).isEqualTo(error);
    assertThat(failed.finishedAt()).isEqualTo(at(7));
  }

  private static BuildRecord queued() {
    return BuildRecord.accepted(
        "id-1",
        "anonymous",
        new BuildSpec(
            BuildSource.ofDockerfile("FROM scratch"),
            null,
            null,
            null,
            null,
            false,
            null,
            null,
            null,
            0,
            null),
        T0);
  }

  private static BuildStatusChanged change(
      BuildState from,
      BuildState to,
      int attempt,
      String worker,
      ImageInfo image,
      BuildError error) {
    return new BuildStatusChanged(from, to, attempt, "because", worker, image, error, null);
  }

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }
}
