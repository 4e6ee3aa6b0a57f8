import { lineOfStep } from "../lib/dockerfile";
import type { BuildError, Step } from "../lib/types";
import { DockerfileView } from "./DockerfileEditor";

const CATEGORY: Record<string, string> = {
  DOCKERFILE_SYNTAX: "Dockerfile syntax",
  BASE_IMAGE_NOT_FOUND: "Base image not found",
  COPY_SOURCE_MISSING: "File to copy is missing",
  RUN_FAILED: "A command failed",
  OOM: "Out of memory",
  TIMEOUT: "Took too long",
  CANCELLED: "Cancelled",
  PUSH_FAILED: "Push failed",
  REGISTRY_AUTH: "Registry refused the credentials",
  NETWORK: "Network problem",
  DISK_FULL: "Disk full",
  SOURCE_FETCH_FAILED: "Source could not be fetched",
  PLATFORM_UNSUPPORTED: "Platform not supported",
  POLICY_DENIED: "Refused by policy",
  WORKER_LOST: "Worker lost",
  QUEUE_EXPIRED: "Waited too long in the queue",
  INTERNAL: "Kiln failed",
  UNKNOWN: "Failed",
};

export function categoryLabel(category: string): string {
  return CATEGORY[category] ?? category.toLowerCase().replace(/_/g, " ");
}

/** Why a build failed: the category, the message, the suggestion, and the line it failed at. */
export function FailurePanel({ error, dockerfile, steps }: { error: BuildError; dockerfile?: string; steps: Step[] }) {
  const line =
    error.line ??
    steps.find((s) => s.step === error.step)?.line ??
    (dockerfile && error.step !== undefined ? lineOfStep(dockerfile, error.instruction, error.step) : undefined);
  return (
    <section aria-label="Why it failed" data-testid="failure" className="rounded-lg border-l-4 border-red-600 bg-red-50 p-4">
      <p className="text-xs font-semibold uppercase tracking-wide text-red-700" data-testid="failure-category">
        {categoryLabel(error.category)}
      </p>
      <p className="mt-1 whitespace-pre-wrap text-red-950">{error.message}</p>
      {error.suggestion && (
        <p className="mt-2 rounded bg-white/70 p-2 text-sm text-slate-800" data-testid="failure-suggestion">
          <span className="font-semibold">Try this: </span>
          {error.suggestion}
        </p>
      )}
      {(error.step !== undefined || line !== undefined) && (
        <p className="mt-2 text-sm text-red-900">
          {error.step !== undefined && <>Step {error.step}</>}
          {line !== undefined && <>{error.step !== undefined ? ", " : ""}Dockerfile line {line}</>}
          {error.exitCode !== undefined && <>, exit code {error.exitCode}</>}
          {error.instruction && (
            <code className="mt-1 block overflow-x-auto whitespace-pre rounded bg-red-100 px-2 py-1 font-mono text-xs">{error.instruction}</code>
          )}
        </p>
      )}
      {dockerfile && (
        <div className="mt-3">
          <DockerfileView text={dockerfile} highlight={line} />
        </div>
      )}
    </section>
  );
}
