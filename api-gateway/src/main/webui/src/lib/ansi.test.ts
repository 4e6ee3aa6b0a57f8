import { describe, expect, it } from "vitest";
import { parseAnsi, stripAnsi } from "./ansi";

describe("ANSI parser", () => {
  it("keeps plain text as one span", () => {
    expect(parseAnsi("hello")).toEqual([{ text: "hello" }]);
  });

  it("colours text until a reset", () => {
    expect(parseAnsi("\x1b[31merror\x1b[0m: done")).toEqual([
      { text: "error", fg: "#f87171" },
      { text: ": done" },
    ]);
  });

  it("combines bold, bright and background codes in one sequence", () => {
    expect(parseAnsi("\x1b[1;92;44mok")).toEqual([
      { text: "ok", bold: true, fg: "#86efac", bg: "#60a5fa" },
    ]);
  });

  it("reads 256-colour and true-colour forms", () => {
    expect(parseAnsi("\x1b[38;5;196mA\x1b[48;2;1;2;3mB")).toEqual([
      { text: "A", fg: "rgb(255, 0, 0)" },
      { text: "B", fg: "rgb(255, 0, 0)", bg: "rgb(1, 2, 3)" },
    ]);
  });

  it("turns single attributes off without touching the colour", () => {
    expect(parseAnsi("\x1b[1;33mA\x1b[22mB\x1b[39mC")).toEqual([
      { text: "A", bold: true, fg: "#facc15" },
      { text: "B", fg: "#facc15" },
      { text: "C" },
    ]);
  });

  it("drops cursor and erase sequences and window titles", () => {
    expect(parseAnsi("\x1b[2Kprogress\x1b]0;title\x07 50%\x1b[1G")).toEqual([
      { text: "progress 50%" },
    ]);
  });

  it("an empty SGR is a reset", () => {
    expect(parseAnsi("\x1b[32mA\x1b[mB")).toEqual([{ text: "A", fg: "#4ade80" }, { text: "B" }]);
  });

  it("strips every sequence for search", () => {
    expect(stripAnsi("\x1b[1;31mfail\x1b[0med")).toBe("failed");
  });
});
