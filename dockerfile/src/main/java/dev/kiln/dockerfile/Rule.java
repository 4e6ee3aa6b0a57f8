package dev.kiln.dockerfile;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The lint rules, named as {@code docker build --check} names them where it has the rule, and with
 * the hadolint code of the same rule, which {@code skip} lists accept too.
 */
public enum Rule {
  UNTAGGED_BASE_IMAGE("UntaggedBaseImage", "DL3006", Severity.WARNING),
  LATEST_BASE_IMAGE("LatestBaseImage", "DL3007", Severity.WARNING),
  APT_GET_WITHOUT_YES("AptGetInstallWithoutYes", "DL3014", Severity.WARNING),
  APT_GET_RECOMMENDS("AptGetInstallRecommends", "DL3015", Severity.INFO),
  APT_LISTS_NOT_CLEANED("AptListsNotCleaned", "DL3009", Severity.INFO),
  CD_INSTEAD_OF_WORKDIR("CdInsteadOfWorkdir", "DL3003", Severity.WARNING),
  MULTIPLE_INSTRUCTIONS("MultipleInstructionsDisallowed", "DL4003", Severity.WARNING),
  ADD_INSTEAD_OF_COPY("AddInsteadOfCopy", "DL3020", Severity.WARNING),
  PIPE_WITHOUT_PIPEFAIL("PipeWithoutPipefail", "DL4006", Severity.WARNING),
  JSON_ARGS_RECOMMENDED("JSONArgsRecommended", "DL3025", Severity.WARNING),
  UNDEFINED_VAR("UndefinedVar", null, Severity.WARNING),
  UNDEFINED_ARG_IN_FROM("UndefinedArgInFrom", null, Severity.WARNING),
  STAGE_NAME_CASING("StageNameCasing", null, Severity.WARNING),
  DUPLICATE_STAGE_NAME("DuplicateStageName", null, Severity.ERROR),
  SECRETS_IN_ARG_OR_ENV("SecretsUsedInArgOrEnv", null, Severity.WARNING),
  FROM_AS_CASING("FromAsCasing", null, Severity.INFO),
  MAINTAINER_DEPRECATED("MaintainerDeprecated", "DL4000", Severity.INFO),
  NO_EMPTY_CONTINUATION("NoEmptyContinuation", null, Severity.WARNING),
  LEGACY_KEY_VALUE_FORMAT("LegacyKeyValueFormat", null, Severity.INFO);

  private final String id;
  private final String hadolint;
  private final Severity severity;

  Rule(String id, String hadolint, Severity severity) {
    this.id = id;
    this.hadolint = hadolint;
    this.severity = severity;
  }

  /** The name findings and {@code check=skip=} use. */
  public String id() {
    return id;
  }

  /** The same rule's hadolint code, or {@code null}. */
  public String hadolint() {
    return hadolint;
  }

  public Severity severity() {
    return severity;
  }

  /** The rule a skip entry names, by id or hadolint code, in any case. */
  public static Optional<Rule> named(String name) {
    String wanted = name.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(
            rule ->
                rule.id.toLowerCase(Locale.ROOT).equals(wanted)
                    || (rule.hadolint != null
                        && rule.hadolint.toLowerCase(Locale.ROOT).equals(wanted)))
        .findFirst();
  }

  Finding finding(LineRange lines, String message, String fix) {
    return new Finding(id, severity, lines, message, fix);
  }
}
