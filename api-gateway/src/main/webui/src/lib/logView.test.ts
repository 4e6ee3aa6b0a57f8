import { describe, expect, it } from "vitest";
import { BuildLog, TailFollower, lineFromHash, searchLines, visibleRows } from "./logView";

const log = (attempt: number, seq: number, text = `line ${seq}`) =>
  ({ type: "log", attempt, lines: [{ seq, text }] }) as const;

describe("build log", () => {
  it("keeps lines in order and drops ones already seen after a reconnect", () => {
    const model = new BuildLog();
    model.apply({ type: "status", to: "RUNNING", attempt: 1 });
    model.apply(log(1, 1));
    model.apply(log(1, 2));
    expect(model.apply(log(1, 2))).toBe(false);
    model.apply(log(1, 3));
    expect(model.lines.map((l) => l.seq)).toEqual([1, 2, 3]);
    expect(model.lastSeq).toBe(3);
  });

  it("takes the unseen lines of a message that holds several", () => {
    const model = new BuildLog();
    model.apply(log(1, 1));
    model.apply(log(1, 2));
    const lines = [1, 2, 3, 4].map((seq) => ({ seq, stream: "stdout", text: `line ${seq}` }));
    expect(model.apply({ type: "log", attempt: 1, lines })).toBe(true);
    expect(model.lines.map((l) => l.seq)).toEqual([1, 2, 3, 4]);
    expect(model.apply({ type: "log", attempt: 1, lines })).toBe(false);
  });

  it("starts over when a new attempt begins", () => {
    const model = new BuildLog();
    model.apply({ type: "status", to: "RUNNING", attempt: 1 });
    model.apply(log(1, 1));
    model.apply({ type: "step", event: "started", attempt: 1, step: 1, instruction: "FROM a", seq: 1 });
    model.apply({ type: "status", from: "RUNNING", to: "QUEUED", attempt: 2 });
    expect(model.lines).toEqual([]);
    expect(model.steps.size).toBe(0);
    expect(model.apply(log(1, 2))).toBe(false);
    model.apply(log(2, 1, "again"));
    expect(model.lines.map((l) => l.text)).toEqual(["again"]);
  });

  it("tracks steps from started to finished, cached or failed", () => {
    const model = new BuildLog();
    const base = { type: "step", attempt: 1, stage: 1, stages: 2, total: 3 } as const;
    model.apply({ ...base, event: "started", step: 1, index: 1, instruction: "FROM a", seq: 1 });
    model.apply({ ...base, event: "finished", step: 1, index: 1, instruction: "FROM a", seq: 2, cached: true, durationMs: 3 });
    model.apply({ ...base, event: "started", step: 2, index: 2, instruction: "RUN x", seq: 3 });
    let list = model.stepList();
    expect(list.steps.map((s) => [s.step, s.status, s.cached])).toEqual([
      [1, "done", true],
      [2, "running", undefined],
    ]);
    expect(list.known).toBe(3);
    expect(list.finished).toBe(1);
    model.apply({ ...base, event: "finished", step: 2, index: 2, instruction: "RUN x", seq: 9, failed: true, durationMs: 40 });
    list = model.stepList();
    expect(list.steps[1]).toMatchObject({ status: "failed", durationMs: 40, startedSeq: 3 });
  });

  it("ends with the status of the end message", () => {
    const model = new BuildLog();
    model.apply({ type: "end", status: "FAILED" });
    expect(model.ended).toBe(true);
    expect(model.status).toBe("FAILED");
  });
});

describe("search and links", () => {
  it("finds lines in any case, ignoring colour codes", () => {
    const lines = [
      { seq: 1, text: "Step one" },
      { seq: 2, text: "\x1b[31mER\x1b[0mROR here" },
      { seq: 3, text: "error again" },
    ];
    expect(searchLines(lines, "error")).toEqual([1, 2]);
    expect(searchLines(lines, "  ")).toEqual([]);
  });

  it("reads line links", () => {
    expect(lineFromHash("#L123")).toBe(123);
    expect(lineFromHash("#L")).toBeNull();
    expect(lineFromHash("#top")).toBeNull();
  });
});

describe("follow-tail", () => {
  it("stops when the reader scrolls up and resumes at the end", () => {
    const follower = new TailFollower();
    follower.movedTo(900);
    follower.onScroll(900, 100, 1000);
    expect(follower.following).toBe(true);
    follower.onScroll(600, 100, 1000);
    expect(follower.following).toBe(false);
    follower.onScroll(700, 100, 1200);
    expect(follower.following).toBe(false);
    follower.onScroll(1100, 100, 1200);
    expect(follower.following).toBe(true);
  });

  it("does not stop when the content grows under a reader at the end", () => {
    const follower = new TailFollower();
    follower.onScroll(900, 100, 1000);
    follower.onScroll(900, 100, 1500);
    expect(follower.following).toBe(true);
  });

  it("follows again when asked", () => {
    const follower = new TailFollower();
    follower.movedTo(500);
    follower.onScroll(100, 100, 1000);
    expect(follower.following).toBe(false);
    follower.follow();
    expect(follower.following).toBe(true);
  });
});

describe("visible rows", () => {
  it("draws the rows in view plus some around them", () => {
    expect(visibleRows(2000, 400, 20, 10_000, 5)).toEqual({ first: 95, last: 125 });
    expect(visibleRows(0, 400, 20, 10, 5)).toEqual({ first: 0, last: 10 });
  });
});
