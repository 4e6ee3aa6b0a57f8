import { describe, expect, it } from "vitest";
import { buildArgsToSend, lineOfStep, outlineDockerfile, rowsFromArgs } from "./dockerfile";

const DOCKERFILE = `# syntax=docker/dockerfile:1
ARG BASE=debian:12
ARG VERSION
FROM \${BASE} AS build
ARG GREETING="hello world" COUNT=3
RUN echo \\
  building
FROM --platform=linux/amd64 busybox as runtime
ARG VERSION
ARG HTTP_PROXY
COPY --from=build /out /out
FROM runtime
`;

describe("Dockerfile outline", () => {
  it("finds ARGs with their defaults once each, leaving out the predefined ones", () => {
    expect(outlineDockerfile(DOCKERFILE).args).toEqual([
      { name: "BASE", defaultValue: "debian:12", line: 2 },
      { name: "VERSION", defaultValue: undefined, line: 3 },
      { name: "GREETING", defaultValue: "hello world", line: 5 },
      { name: "COUNT", defaultValue: "3", line: 5 },
    ]);
  });

  it("finds stages with names in any case, skipping flags", () => {
    expect(outlineDockerfile(DOCKERFILE).stages).toEqual([
      { index: 0, image: "${BASE}", name: "build", line: 4 },
      { index: 1, image: "busybox", name: "runtime", line: 8 },
      { index: 2, image: "runtime", name: undefined, line: 12 },
    ]);
  });

  it("joins continuation lines and skips comments inside them", () => {
    const outline = outlineDockerfile("FROM a \\\n# note\n  AS first\nARG X=1 \\\n  Y=2\n");
    expect(outline.stages[0].name).toBe("first");
    expect(outline.args.map((a) => a.name)).toEqual(["X", "Y"]);
  });

  it("honours the backtick escape directive", () => {
    const outline = outlineDockerfile("# escape=`\nFROM a `\n  AS win\n");
    expect(outline.stages).toEqual([{ index: 0, image: "a", name: "win", line: 2 }]);
  });
});

describe("build-arg rows", () => {
  it("are pre-filled with the defaults and keep what the user changed or added", () => {
    const first = rowsFromArgs(outlineDockerfile("ARG A=1\nARG B\nFROM x").args, []);
    expect(first).toEqual([
      { name: "A", value: "1", declared: true, defaultValue: "1" },
      { name: "B", value: "", declared: true, defaultValue: undefined },
    ]);
    const edited = [
      { ...first[0], value: "2" },
      first[1],
      { name: "EXTRA", value: "e", declared: false },
    ];
    const again = rowsFromArgs(outlineDockerfile("ARG A=1\nARG C=3\nFROM x").args, edited);
    expect(again).toEqual([
      { name: "A", value: "2", declared: true, defaultValue: "1" },
      { name: "C", value: "3", declared: true, defaultValue: "3" },
      { name: "EXTRA", value: "e", declared: false },
    ]);
  });

  it("send only values that differ from the Dockerfile's defaults", () => {
    expect(
      buildArgsToSend([
        { name: "A", value: "1", declared: true, defaultValue: "1" },
        { name: "B", value: "", declared: true },
        { name: "C", value: "x", declared: true },
        { name: "D", value: "2", declared: true, defaultValue: "1" },
        { name: " E ", value: "", declared: false },
        { name: "", value: "ignored", declared: false },
      ]),
    ).toEqual({ C: "x", D: "2", E: "" });
  });
});

describe("line of a step", () => {
  const text = "ARG V=1\nFROM scratch AS base\nCOPY a /a\nRUN   make \\\n  all\nFROM base\nCOPY a /a\n";

  it("finds the instruction by its text, blanks aside", () => {
    expect(lineOfStep(text, "RUN make all", 3)).toBe(4);
  });

  it("tells repeated instructions apart by the step number", () => {
    expect(lineOfStep(text, "COPY a /a", 2)).toBe(3);
    expect(lineOfStep(text, "COPY a /a", 5)).toBe(7);
  });

  it("falls back to the step's place when the builder rewrote the instruction", () => {
    expect(lineOfStep(text, "FROM 3f2a…", 4)).toBe(6);
    expect(lineOfStep(text, undefined, 99)).toBeUndefined();
  });
});
