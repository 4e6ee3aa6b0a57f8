package dev.kiln.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LinterTest {
  private static List<Finding> lint(String dockerfile, String... skip) {
    return Linter.lint(DockerfileParser.parse(dockerfile), Map.of(), null, Set.of(skip));
  }

  private static List<String> ids(List<Finding> findings) {
    return findings.stream().map(Finding::id).toList();
  }

  @Test
  void everyFindingHasItsRuleSeverityLinesMessageAndFix() {
    Finding finding = lint("FROM busybox:latest\n").getFirst();

    assertThat(finding.id()).isEqualTo("LatestBaseImage");
    assertThat(finding.severity()).isEqualTo(Severity.WARNING);
    assertThat(finding.lines()).isEqualTo(LineRange.of(1));
    assertThat(finding.message()).contains("busybox:latest");
    assertThat(finding.fix()).isNotBlank();
  }

  @Test
  void aRequestSkipsRulesByIdOrHadolintCodeInAnyCase() {
    String dockerfile = "FROM busybox\nCMD echo hi\n";

    assertThat(ids(lint(dockerfile))).containsExactly("UntaggedBaseImage", "JSONArgsRecommended");
    assertThat(ids(lint(dockerfile, "dl3006"))).containsExactly("JSONArgsRecommended");
    assertThat(ids(lint(dockerfile, "jsonargsrecommended", "DL3006"))).isEmpty();
    assertThat(lint(dockerfile, "all")).isEmpty();
  }

  @Test
  void theCheckDirectiveSkipsRulesAndCanMakeEveryFindingAnError() {
    assertThat(lint("# check=skip=UntaggedBaseImage\nFROM busybox\n")).isEmpty();

    List<Finding> strict = lint("# check=error=true\nFROM busybox\n");

    assertThat(strict).extracting(Finding::severity).containsExactly(Severity.ERROR);
  }

  @Test
  void pipefailInTheShellOrTheScriptSatisfiesThePipeRule() {
    assertThat(ids(lint("FROM busybox:1\nRUN a | b\n"))).contains("PipeWithoutPipefail");
    assertThat(ids(lint("FROM busybox:1\nRUN a || b\n"))).doesNotContain("PipeWithoutPipefail");
    assertThat(ids(lint("FROM busybox:1\nRUN echo 'a | b'\n")))
        .doesNotContain("PipeWithoutPipefail");
    assertThat(ids(lint("FROM busybox:1\nRUN set -euxo pipefail; a | b\n")))
        .doesNotContain("PipeWithoutPipefail");
    assertThat(
            ids(
                lint(
                    "FROM busybox:1\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n"
                        + "RUN a | b\n")))
        .doesNotContain("PipeWithoutPipefail");
  }

  @Test
  void aptRulesReadEachCommandOfTheRun() {
    List<String> found =
        ids(
            lint(
                "FROM debian:12\nRUN apt-get update && sudo apt-get install -y --no-install-recommends"
                    + " curl && rm -rf /var/lib/apt/lists/*\n"));
    assertThat(found).isEmpty();

    List<String> sloppy = ids(lint("FROM debian:12\nRUN [\"sh\", \"-c\", \"apt install vim\"]\n"));
    assertThat(sloppy)
        .containsExactlyInAnyOrder(
            "AptGetInstallWithoutYes", "AptGetInstallRecommends", "AptListsNotCleaned");
  }

  @Test
  void aptListsOnlyMatterInTheStagesThatEndUpInTheImage() {
    String dockerfile =
        "FROM debian:12 AS build\nRUN apt-get install -y --no-install-recommends gcc\n"
            + "FROM debian:12\nCOPY --from=build /x /x\n";

    assertThat(ids(lint(dockerfile))).doesNotContain("AptListsNotCleaned");
  }

  @Test
  void addOfUrlsArchivesAndHeredocsIsWhatAddIsFor() {
    assertThat(ids(lint("FROM busybox:1\nADD https://example.com/a /a\n"))).isEmpty();
    assertThat(ids(lint("FROM busybox:1\nADD app.tar.xz /opt/\n"))).isEmpty();
    assertThat(ids(lint("FROM busybox:1\nADD app.jar /opt/\n")))
        .containsExactly("AddInsteadOfCopy");
  }

  @Test
  void variablesWithADefaultAreNotUndefined() {
    assertThat(ids(lint("FROM scratch\nWORKDIR /${DIR:-srv}\n"))).isEmpty();
    assertThat(ids(lint("FROM scratch\nWORKDIR /${DIR}\n"))).containsExactly("UndefinedVar");
  }

  @Test
  void envOfTheBaseStageIsDeclaredInStagesBuiltOnIt() {
    String dockerfile = "FROM scratch AS base\nENV HOME_DIR=/h\nFROM base\nWORKDIR $HOME_DIR\n";

    assertThat(ids(lint(dockerfile))).isEmpty();
  }

  @Test
  void secretLookingNamesAreFoundButHarmlessOnesAreNot() {
    assertThat(ids(lint("FROM scratch\nARG NPM_TOKEN\nARG API_KEY\nENV AUTH=x\n")))
        .containsExactly("SecretsUsedInArgOrEnv", "SecretsUsedInArgOrEnv", "SecretsUsedInArgOrEnv");
    assertThat(ids(lint("FROM scratch\nARG TOKENIZER=x\nENV SSH_KEY_PATH=/k\nARG KEYBOARD\n")))
        .isEmpty();
  }
}
