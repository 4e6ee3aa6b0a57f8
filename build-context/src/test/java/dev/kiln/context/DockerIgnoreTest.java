package dev.kiln.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The examples of Docker's .dockerignore documentation, and the cleaning rules around them. */
class DockerIgnoreTest {
  @Test
  void commentLinesAreIgnored() {
    DockerIgnore rules = DockerIgnore.parse("# comment\n");

    assertThat(rules.rules()).isEmpty();
    assertThat(rules.excludes("# comment")).isFalse();
  }

  @Test
  void starMatchesWithinOneFolderLevel() {
    DockerIgnore rules = DockerIgnore.parse("*/temp*");

    assertThat(rules.excludes("somedir/temporary.txt")).isTrue();
    assertThat(rules.excludes("somedir/temp")).isTrue();
    assertThat(rules.excludes("temp")).isFalse();
    assertThat(rules.excludes("somedir/subdir/temporary.txt")).isFalse();
  }

  @Test
  void twoStarsLevelsDeepMatchOnlyThere() {
    DockerIgnore rules = DockerIgnore.parse("*/*/temp*");

    assertThat(rules.excludes("somedir/subdir/temporary.txt")).isTrue();
    assertThat(rules.excludes("somedir/temporary.txt")).isFalse();
  }

  @Test
  void questionMarkMatchesOneCharacter() {
    DockerIgnore rules = DockerIgnore.parse("temp?");

    assertThat(rules.excludes("tempa")).isTrue();
    assertThat(rules.excludes("tempb")).isTrue();
    assertThat(rules.excludes("temp")).isFalse();
    assertThat(rules.excludes("tempab")).isFalse();
  }

  @Test
  void doubleStarMatchesAnyNumberOfFoldersIncludingNone() {
    DockerIgnore rules = DockerIgnore.parse("**/*.go");

    assertThat(rules.excludes("main.go")).isTrue();
    assertThat(rules.excludes("cmd/tool/main.go")).isTrue();
    assertThat(rules.excludes("main.c")).isFalse();
  }

  @Test
  void exceptionIncludesAgainWhatAnEarlierRuleExcluded() {
    DockerIgnore rules = DockerIgnore.parse("*.md\n!README.md\n");

    assertThat(rules.excludes("CHANGES.md")).isTrue();
    assertThat(rules.excludes("README.md")).isFalse();
  }

  @Test
  void theLastMatchingRuleDecides() {
    DockerIgnore secretExcluded = DockerIgnore.parse("*.md\n!README*.md\nREADME-secret.md\n");
    DockerIgnore secretIncluded = DockerIgnore.parse("*.md\nREADME-secret.md\n!README*.md\n");

    assertThat(secretExcluded.excludes("README-secret.md")).isTrue();
    assertThat(secretExcluded.excludes("README-public.md")).isFalse();
    assertThat(secretIncluded.excludes("README-secret.md")).isFalse();
  }

  @Test
  void leadingSlashAndDotSlashNameTheSamePathAsWithout() {
    for (String pattern : new String[] {"/foo/bar", "foo/bar", "./foo/bar", "foo//bar/"}) {
      DockerIgnore rules = DockerIgnore.parse(pattern);

      assertThat(rules.excludes("foo/bar")).as(pattern).isTrue();
      assertThat(rules.excludes("foo")).as(pattern).isFalse();
      assertThat(rules.excludes("bar")).as(pattern).isFalse();
    }
  }

  @Test
  void aRuleMatchingAFolderExcludesEverythingBelowIt() {
    DockerIgnore rules = DockerIgnore.parse("node_modules\n");

    assertThat(rules.excludes("node_modules/left-pad/index.js")).isTrue();
    assertThat(rules.excludes("src/node_modules")).isFalse();
  }

  @Test
  void excludingEverythingButAFewPathsKeepsThoseFoldersWhole() {
    DockerIgnore rules = DockerIgnore.parse("*\n!src\n!go.mod\n");

    assertThat(rules.excludes("src/main.go")).isFalse();
    assertThat(rules.excludes("go.mod")).isFalse();
    assertThat(rules.excludes("docs/index.md")).isTrue();
  }

  @Test
  void patternsAreTrimmedAndCleaned() {
    DockerIgnore rules = DockerIgnore.parse("  build/../dist/  \r\n\n");

    assertThat(rules.rules()).extracting(DockerIgnore.Rule::pattern).containsExactly("dist");
    assertThat(rules.excludes("dist/app.js")).isTrue();
  }

  @Test
  void regularExpressionCharactersMatchThemselves() {
    DockerIgnore rules = DockerIgnore.parse("a+b.(c)\n\\*literal\n");

    assertThat(rules.excludes("a+b.(c)")).isTrue();
    assertThat(rules.excludes("aab.(c)")).isFalse();
    assertThat(rules.excludes("*literal")).isTrue();
    assertThat(rules.excludes("xliteral")).isFalse();
  }

  @Test
  void characterClassesWork() {
    DockerIgnore rules = DockerIgnore.parse("log[0-9].txt");

    assertThat(rules.excludes("log7.txt")).isTrue();
    assertThat(rules.excludes("logx.txt")).isFalse();
  }

  @Test
  void anExclamationMarkAloneIsRefusedWithItsLine() {
    assertThatThrownBy(() -> DockerIgnore.parse("a\n!\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 2");
  }

  @Test
  void anUnclosedClassIsRefused() {
    assertThatThrownBy(() -> DockerIgnore.parse("log[0-9"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 1");
  }
}
