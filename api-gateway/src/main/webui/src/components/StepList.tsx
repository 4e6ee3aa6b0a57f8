import { formatDuration } from "../lib/format";
import type { Step } from "../lib/types";

export function StepList({
  steps,
  known,
  finished,
  failingStep,
  onJump,
}: {
  steps: Step[];
  known: number;
  finished: number;
  failingStep?: number;
  onJump: (seq: number) => void;
}) {
  if (steps.length === 0) return <p className="text-sm text-slate-500">No step has started yet.</p>;
  const running = steps.find((s) => s.status === "running");
  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm text-slate-700" data-testid="step-progress">
        {running ? `Step ${running.step} of ${known}` : `${finished} of ${known} steps finished`}
      </p>
      <div className="h-2 w-full overflow-hidden rounded bg-slate-200" role="progressbar" aria-label="Steps finished" aria-valuemin={0} aria-valuemax={known} aria-valuenow={finished}>
        <div className="h-full bg-sky-600" style={{ width: `${known ? (finished / known) * 100 : 0}%` }} />
      </div>
      <ol className="flex flex-col divide-y divide-slate-100 text-sm" aria-label="Steps">
        {steps.map((step) => {
          const failed = step.status === "failed" || step.step === failingStep;
          return (
            <li
              key={step.step}
              data-testid="step"
              data-status={failed ? "failed" : step.status}
              aria-current={step.status === "running" ? "step" : undefined}
              className={`flex items-start gap-2 py-1.5 ${failed ? "bg-red-50 text-red-900" : step.status === "running" ? "bg-sky-50" : ""}`}
            >
              <span className="w-8 shrink-0 text-right font-mono text-xs leading-5 text-slate-500">{step.step}</span>
              <span aria-hidden="true" className="w-4 shrink-0 leading-5">
                {failed ? "✗" : step.status === "running" ? <span className="inline-block h-2 w-2 animate-ping rounded-full bg-sky-600" /> : "✓"}
              </span>
              <button
                type="button"
                className="min-w-0 flex-1 truncate text-left font-mono text-xs leading-5 hover:underline"
                title={`${step.instruction}${step.line ? ` (Dockerfile line ${step.line})` : ""}`}
                onClick={() => step.startedSeq && onJump(step.startedSeq)}
              >
                {step.stages && step.stages > 1 ? <span className="text-slate-400">[{step.stage}/{step.stages}] </span> : null}
                {step.instruction}
              </button>
              {step.cached && <span className="rounded bg-emerald-100 px-1.5 text-xs text-emerald-800">cached</span>}
              {step.status === "running" && <span className="text-xs text-sky-700">running</span>}
              <span className="w-16 shrink-0 text-right text-xs text-slate-500 tabular-nums">
                {step.durationMs !== null && step.durationMs !== undefined ? formatDuration(step.durationMs) : ""}
              </span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
