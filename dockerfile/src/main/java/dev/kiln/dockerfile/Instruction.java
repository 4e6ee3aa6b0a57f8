package dev.kiln.dockerfile;

import java.util.List;

/**
 * One Dockerfile instruction, typed, with the lines it spans and its text as written. Values are
 * kept as written: variables are expanded by {@link Analysis}, which knows the build arguments.
 */
public sealed interface Instruction {
  /** The lines it spans, heredoc bodies included. */
  LineRange lines();

  /** Its text: the instruction line with continuation lines joined, as buildah shows it. */
  String source();

  /** Its name in upper case, such as {@code RUN}. */
  default String keyword() {
    return getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT);
  }

  /**
   * {@code FROM [--platform=…] image [AS name]}.
   *
   * @param image the base: an image reference, a stage name, or {@code scratch}
   * @param stageName the name after {@code AS} as written, or {@code null}
   * @param platform the {@code --platform} value, or {@code null}
   */
  record From(LineRange lines, String source, String image, String stageName, String platform)
      implements Instruction {}

  /**
   * {@code RUN [--mount=…] [--network=…] [--security=…] command}.
   *
   * @param network {@code default}, {@code none} or {@code host}, or {@code null}
   * @param security {@code insecure} or {@code sandbox}, or {@code null}
   * @param heredocs the heredocs the command line opens
   */
  record Run(
      LineRange lines,
      String source,
      Command command,
      List<Mount> mounts,
      String network,
      String security,
      List<Heredoc> heredocs)
      implements Instruction {}

  /** {@code CMD command}. */
  record Cmd(LineRange lines, String source, Command command) implements Instruction {}

  /** {@code ENTRYPOINT command}. */
  record Entrypoint(LineRange lines, String source, Command command) implements Instruction {}

  /**
   * {@code COPY [--from=…] [--chown=…] [--chmod=…] [--link] [--parents] [--exclude=…] src… dest}.
   *
   * @param sources the sources as written; a heredoc source is its {@code <<NAME} word
   * @param from the stage, stage index or image to copy from, or {@code null} for the context
   * @param heredocs the heredocs among the sources
   */
  record Copy(
      LineRange lines,
      String source,
      List<String> sources,
      String destination,
      String from,
      String chown,
      String chmod,
      boolean link,
      boolean parents,
      List<String> excludes,
      List<Heredoc> heredocs)
      implements Instruction {}

  /**
   * {@code ADD [--chown=…] [--chmod=…] [--link] [--keep-git-dir] [--checksum=…] [--exclude=…]
   * [--unpack] src… dest}.
   *
   * @param unpack the {@code --unpack} value, or {@code null} for the default
   */
  record Add(
      LineRange lines,
      String source,
      List<String> sources,
      String destination,
      String chown,
      String chmod,
      boolean link,
      boolean keepGitDir,
      String checksum,
      List<String> excludes,
      Boolean unpack,
      List<Heredoc> heredocs)
      implements Instruction {}

  /**
   * {@code ENV name=value …}, or the old {@code ENV name value}.
   *
   * @param legacy whether it uses the old form, without {@code =}
   */
  record Env(LineRange lines, String source, List<KeyValue> variables, boolean legacy)
      implements Instruction {}

  /** {@code LABEL key=value …}, or the old {@code LABEL key value}. */
  record Label(LineRange lines, String source, List<KeyValue> labels, boolean legacy)
      implements Instruction {}

  /** {@code ARG name[=default] …}; a value is {@code null} when there is no default. */
  record Arg(LineRange lines, String source, List<KeyValue> arguments) implements Instruction {}

  /** {@code EXPOSE port[/protocol] …}. */
  record Expose(LineRange lines, String source, List<String> ports) implements Instruction {}

  /** {@code VOLUME path …} or {@code VOLUME ["path", …]}. */
  record Volume(LineRange lines, String source, List<String> paths) implements Instruction {}

  /** {@code USER user[:group]}. */
  record User(LineRange lines, String source, String user) implements Instruction {}

  /** {@code WORKDIR path}. */
  record Workdir(LineRange lines, String source, String path) implements Instruction {}

  /** {@code SHELL ["executable", "parameters"]}. */
  record Shell(LineRange lines, String source, List<String> shell) implements Instruction {}

  /** {@code STOPSIGNAL signal}. */
  record StopSignal(LineRange lines, String source, String signal) implements Instruction {}

  /**
   * {@code HEALTHCHECK [--interval=…] [--timeout=…] [--start-period=…] [--start-interval=…]
   * [--retries=…] CMD command}, or {@code HEALTHCHECK NONE}.
   *
   * @param command the check, or {@code null} for {@code NONE}
   */
  record Healthcheck(
      LineRange lines,
      String source,
      Command command,
      String interval,
      String timeout,
      String startPeriod,
      String startInterval,
      Integer retries)
      implements Instruction {}

  /** {@code ONBUILD instruction}: an instruction for images built from this one. */
  record Onbuild(LineRange lines, String source, Instruction trigger) implements Instruction {}

  /** {@code MAINTAINER name}, deprecated in favour of a label. */
  record Maintainer(LineRange lines, String source, String name) implements Instruction {}
}
