package dev.kiln.worker.adapter.buildah;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.contracts.events.LayerInfo;
import dev.kiln.worker.domain.DockerfileSteps.ImageStep;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A manifest and config that skopeo read back from an OCI archive buildah wrote. */
class ImageManifestsTest {
  @Test
  void layersCarrySizesDigestsAndTheInstructionsThatMadeThem() throws IOException {
    ImageManifests.Layers layers =
        ImageManifests.read(
            resource("single-stage.manifest.json"),
            resource("single-stage.config.json"),
            List.of());

    assertThat(layers.size()).isEqualTo(1_083_603 + 225);
    assertThat(layers.layers())
        .extracting(layer -> layer.digest().toString())
        .containsExactly(
            "sha256:b8793407cc8de84cf2ebaacb262470dd73d99be783ec69d110314755b696c2a1",
            "sha256:45405778e683be8f7891b512a8fa65f13f72c55a7ec039aa2cbd1757953acaa5");
    assertThat(layers.layers())
        .extracting(LayerInfo::instruction)
        .containsExactly(
            "COPY file:01b0553b128d4b3874da2687f49510d7a1f9882a69db52690c33df2a986d2d7f in"
                + " /bin/busybox",
            "RUN [\"/bin/busybox\", \"sh\", \"-c\", \"for i in 1 2 3; do echo line $i; done;"
                + " echo warning: on stderr >&2\"]");
  }

  @Test
  void layersOfTheBuildsOwnStageGetTheLinesOfTheirInstructions() throws IOException {
    List<ImageStep> stage =
        List.of(
            new ImageStep(1, "FROM"),
            new ImageStep(3, "COPY"),
            new ImageStep(4, "RUN"),
            new ImageStep(7, "LABEL"));

    ImageManifests.Layers layers =
        ImageManifests.read(
            resource("single-stage.manifest.json"), resource("single-stage.config.json"), stage);

    assertThat(layers.layers()).extracting(LayerInfo::line).containsExactly(3, 4);
  }

  @Test
  void labelStepsOfTheBuildAlignWithTheHistoryWithoutLines() throws IOException {
    List<ImageStep> stage =
        List.of(
            new ImageStep(1, "FROM"),
            new ImageStep(2, "COPY"),
            new ImageStep(5, "RUN"),
            new ImageStep(null, "LABEL"));

    ImageManifests.Layers layers =
        ImageManifests.read(
            resource("single-stage.manifest.json"), resource("single-stage.config.json"), stage);

    assertThat(layers.layers()).extracting(LayerInfo::line).containsExactly(2, 5);
  }

  @Test
  void historyThatDoesNotReadAsTheStageGivesNoLines() throws IOException {
    List<ImageStep> stage =
        List.of(new ImageStep(1, "FROM"), new ImageStep(2, "RUN"), new ImageStep(5, "COPY"));

    ImageManifests.Layers layers =
        ImageManifests.read(
            resource("single-stage.manifest.json"), resource("single-stage.config.json"), stage);

    assertThat(layers.layers()).extracting(LayerInfo::line).containsOnlyNulls();
  }

  @Test
  void aRunThatSawBuildArgumentsReadsAsItsInstruction() {
    assertThat(
            ImageManifests.instruction(
                "|1 FLAVOUR=mint /bin/sh -c [\"/bin/busybox\", \"sh\", \"-c\", \"echo $FLAVOUR\"]"))
        .isEqualTo("RUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo $FLAVOUR\"]");
  }

  @Test
  void withoutAConfigTheLayersHaveNoInstructions() throws IOException {
    ImageManifests.Layers layers =
        ImageManifests.read(resource("single-stage.manifest.json"), null, List.of());

    assertThat(layers.layers())
        .hasSize(2)
        .allSatisfy(layer -> assertThat(layer.instruction()).isNull());
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = ImageManifestsTest.class.getResourceAsStream("/manifests/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
