import { api, ApiError } from "./api";
import { outlineDockerfile, type DeclaredArg, type DockerfileOutline, type Stage } from "./dockerfile";

/** A finding of the gateway's Dockerfile analysis. */
export interface Finding {
  id: string;
  severity: string;
  line?: number;
  endLine?: number;
  message: string;
  hint?: string;
}

export interface Analysis extends DockerfileOutline {
  findings: Finding[];
  /** Whether the gateway analysed it, or this browser did without it. */
  from: "gateway" | "browser";
}

let gatewayAnalyzes = true;

/**
 * The Dockerfile's ARGs and stages, and any findings: from `POST /api/v1/dockerfiles/analyze`
 * when the gateway has it, read here otherwise (and from then on, once it answered 404).
 */
export async function analyzeDockerfile(text: string): Promise<Analysis> {
  if (gatewayAnalyzes) {
    try {
      const reply = await api.analyze(text);
      const read = readAnalysis(reply);
      if (read) return read;
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 405)) gatewayAnalyzes = false;
    }
  }
  return { ...outlineDockerfile(text), findings: [], from: "browser" };
}

type Json = Record<string, unknown>;
const asArray = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
const asString = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const asNumber = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);

/** Reads the analysis answer loosely, so small differences in its shape do not break the form. */
export function readAnalysis(reply: unknown): Analysis | null {
  if (!reply || typeof reply !== "object") return null;
  const root = reply as Json;
  const analysis = (root.analysis && typeof root.analysis === "object" ? root.analysis : root) as Json;
  const rawStages = asArray(analysis.stages);
  const rawArgs = asArray(analysis.args ?? analysis.buildArgs ?? analysis.declaredArgs);
  if (rawStages.length === 0 && rawArgs.length === 0 && !Array.isArray(root.findings)) return null;
  const stages: Stage[] = rawStages.map((s, index) => ({
    index: asNumber(s.index) ?? index,
    name: asString(s.name) ?? undefined,
    image: asString(s.baseImage) ?? asString(s.image) ?? asString(s.from) ?? "",
    line: asNumber(s.line) ?? 0,
  }));
  const args: DeclaredArg[] = rawArgs
    .filter((a) => typeof a.name === "string")
    .map((a) => ({
      name: a.name as string,
      defaultValue: asString(a.defaultValue) ?? asString(a.default) ?? undefined,
      line: asNumber(a.line) ?? 0,
    }));
  const findings: Finding[] = asArray(root.findings).map((f) => {
    const lines = (f.lines ?? f.range ?? {}) as Json;
    return {
      id: asString(f.id) ?? "",
      severity: asString(f.severity) ?? "info",
      line: asNumber(f.line) ?? asNumber(f.startLine) ?? asNumber(lines.start) ?? asNumber(lines.from),
      endLine: asNumber(f.endLine) ?? asNumber(lines.end) ?? asNumber(lines.to),
      message: asString(f.message) ?? "",
      hint: asString(f.hint),
    };
  });
  return { args, stages, findings, from: "gateway" };
}
