/** The API's shapes, as api-gateway/README.md documents them. */
export type BuildStatus =
  | "QUEUED" | "ASSIGNED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED" | "TIMED_OUT"
  | "EXPIRED" | "ERROR";

export const STATUSES: BuildStatus[] = [
  "QUEUED", "ASSIGNED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT", "EXPIRED", "ERROR",
];

export const TERMINAL = new Set<BuildStatus>(["SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT", "EXPIRED", "ERROR"]);

export interface Layer {
  digest: string;
  size: number;
  instruction?: string;
  line?: number;
}

export interface ImageInfo {
  digest: string;
  imageId?: string;
  pushedRefs: string[];
  size: number;
  layers: Layer[];
  archived: boolean;
}

export interface BuildError {
  category: string;
  message: string;
  suggestion?: string;
  step?: number;
  instruction?: string;
  line?: number;
  exitCode?: number;
}

export interface BuildSpec {
  source: {
    git?: { url: string; ref?: string; subdir?: string };
    context?: string;
    dockerfile?: string;
    catalog?: string;
  };
  dockerfile?: string;
  target?: string;
  buildArgs?: Record<string, string>;
  tags?: string[];
  push?: boolean;
  options?: { noCache?: boolean; pull?: string; squash?: boolean; platform?: string; network?: string };
  limits?: { cpus?: number; memoryMb?: number; timeoutSeconds?: number };
}

export interface Warning {
  message: string;
  line?: number;
}

export interface Build {
  id: string;
  status: BuildStatus;
  attempt: number;
  owner?: string;
  createdAt: string;
  queuedAt?: string;
  startedAt?: string;
  finishedAt?: string;
  updatedAt?: string;
  worker?: string;
  reason?: string;
  spec: BuildSpec;
  image?: ImageInfo;
  error?: BuildError;
  warnings?: (Warning | string)[];
}

export interface BuildPage {
  builds: Build[];
  next?: string;
}

export interface Step {
  step: number;
  stage?: number;
  stages?: number;
  index?: number;
  total?: number;
  instruction: string;
  line?: number;
  status: "running" | "done" | "failed";
  cached?: boolean | null;
  durationMs?: number | null;
  startedSeq?: number;
}

export interface StepsPage {
  attempt: number;
  steps: Step[];
}

export interface LogLine {
  seq: number;
  ts?: string;
  stream?: string;
  step?: number;
  text: string;
}
