import { stripAnsi } from "./ansi";
import type { BuildStatus, LogLine, Step } from "./types";

/** A message of the live log stream (docs/architecture.md). */
export type StreamMessage =
  | { type: "log"; attempt: number; lines: readonly LogLine[] }
  | ({ type: "step"; event: "started" | "finished"; attempt: number; failed?: boolean; seq: number } & Omit<Step, "status">)
  | { type: "status"; from?: string; to: BuildStatus; attempt: number; workerId?: string; reason?: string }
  | { type: "end"; status: BuildStatus };

/**
 * What the build page shows of one build's stream: the current attempt's lines and steps. A
 * status with a higher attempt starts over (its lines begin again at seq 1); lines already seen
 * are not added twice, so a reconnect with `after` is harmless.
 */
export class BuildLog {
  attempt = 0;
  lines: LogLine[] = [];
  steps = new Map<number, Step>();
  status: BuildStatus | null = null;
  ended = false;

  get lastSeq(): number {
    return this.lines.length === 0 ? 0 : this.lines[this.lines.length - 1].seq;
  }

  /** Applies one message; answers whether anything visible changed. */
  apply(message: StreamMessage): boolean {
    switch (message.type) {
      case "status":
        if (message.attempt > this.attempt) this.startAttempt(message.attempt);
        this.status = message.to;
        return true;
      case "end":
        this.status = message.status;
        this.ended = true;
        return true;
      case "log": {
        if (message.attempt > this.attempt) this.startAttempt(message.attempt);
        if (message.attempt < this.attempt) return false;
        const before = this.lines.length;
        for (const line of message.lines) if (line.seq > this.lastSeq) this.lines.push(line);
        return this.lines.length > before;
      }
      case "step": {
        if (message.attempt < this.attempt) return false;
        const { type: _type, event, failed, attempt: _attempt, seq, ...rest } = message;
        const previous = this.steps.get(message.step);
        this.steps.set(message.step, {
          ...previous,
          ...rest,
          startedSeq: event === "started" ? seq : previous?.startedSeq,
          status: event === "started" ? "running" : failed ? "failed" : "done",
        });
        return true;
      }
    }
  }

  /** Steps known so far, in order, with the number of steps in the stages seen so far. */
  stepList(): { steps: Step[]; known: number; finished: number } {
    const steps = [...this.steps.values()].sort((a, b) => a.step - b.step);
    const totals = new Map<number, number>();
    for (const step of steps) if (step.stage !== undefined && step.total !== undefined) totals.set(step.stage, step.total);
    const known = Math.max(steps.length, [...totals.values()].reduce((a, b) => a + b, 0));
    return { steps, known, finished: steps.filter((s) => s.status !== "running").length };
  }

  private startAttempt(attempt: number): void {
    this.attempt = attempt;
    this.lines = [];
    this.steps = new Map();
  }
}

/** Indexes of the lines whose text (without colours) holds the query, in any case. */
export function searchLines(lines: readonly LogLine[], query: string): number[] {
  const needle = query.trim().toLowerCase();
  if (needle === "") return [];
  const hits: number[] = [];
  lines.forEach((line, index) => {
    if (stripAnsi(line.text).toLowerCase().includes(needle)) hits.push(index);
  });
  return hits;
}

/** The seq a `#L123` link points at. */
export function lineFromHash(hash: string): number | null {
  const match = /^#L(\d+)$/.exec(hash);
  return match ? Number(match[1]) : null;
}

/**
 * Follow-tail: new lines scroll the log to its end until the reader scrolls up; reaching the
 * end again, or asking to follow, resumes it. Scrolls the page makes itself do not count.
 */
export class TailFollower {
  following = true;
  private lastTop = 0;

  static readonly SLACK_PX = 8;

  onScroll(top: number, viewport: number, content: number): void {
    const atEnd = top + viewport >= content - TailFollower.SLACK_PX;
    if (atEnd) this.following = true;
    else if (top < this.lastTop) this.following = false;
    this.lastTop = top;
  }

  /** Called when the page moves the log itself (following, or jumping to a line). */
  movedTo(top: number): void {
    this.lastTop = top;
  }

  follow(): void {
    this.following = true;
  }

  stop(): void {
    this.following = false;
  }
}

/** The rows to draw of a long list with rows of one height. */
export function visibleRows(
  top: number,
  viewport: number,
  rowHeight: number,
  count: number,
  overscan = 20,
): { first: number; last: number } {
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((top + viewport) / rowHeight) + overscan);
  return { first, last };
}
