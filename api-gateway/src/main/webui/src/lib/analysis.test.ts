import { describe, expect, it } from "vitest";
import { readAnalysis } from "./analysis";

describe("analysis answer", () => {
  it("reads stages, ARGs with defaults and findings", () => {
    const read = readAnalysis({
      analysis: {
        stages: [{ name: "build", baseImage: "golang:1.22", line: 2 }, { baseImage: "scratch", line: 5 }],
        args: [{ name: "VERSION", default: "1.0", line: 1 }, { name: "MODE" }],
        stepCount: 4,
      },
      findings: [{ id: "DL3007", severity: "warning", lines: { start: 2, end: 2 }, message: "latest tag", hint: "pin it" }],
    });
    expect(read).toEqual({
      from: "gateway",
      stages: [
        { index: 0, name: "build", image: "golang:1.22", line: 2 },
        { index: 1, name: undefined, image: "scratch", line: 5 },
      ],
      args: [
        { name: "VERSION", defaultValue: "1.0", line: 1 },
        { name: "MODE", defaultValue: undefined, line: 0 },
      ],
      findings: [{ id: "DL3007", severity: "warning", line: 2, endLine: 2, message: "latest tag", hint: "pin it" }],
    });
  });

  it("gives up on answers that are not an analysis", () => {
    expect(readAnalysis(null)).toBeNull();
    expect(readAnalysis({ something: "else" })).toBeNull();
  });
});
