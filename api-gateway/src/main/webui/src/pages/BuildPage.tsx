import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { api, ApiError, imageUrl } from "../lib/api";
import { buildTitle } from "../lib/describe";
import { buildDuration, formatDuration, formatTime } from "../lib/format";
import { followLog } from "../lib/logStream";
import { BuildLog } from "../lib/logView";
import { TERMINAL, type Build } from "../lib/types";
import { useNow } from "../lib/useNow";
import { Link, navigate } from "../router";
import { FailurePanel } from "../components/FailurePanel";
import { LayerView } from "../components/LayerView";
import { LogView } from "../components/LogView";
import { StepList } from "../components/StepList";
import { Button, Section, StatusBadge } from "../components/ui";
import { DockerfileView } from "../components/DockerfileEditor";

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="text-sm text-slate-900" data-testid={`fact-${label.toLowerCase().replace(/\s+/g, "-")}`}>{children}</dd>
    </div>
  );
}

async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Clipboard access is refused outside secure origins: copy through a selection instead.
    const area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
}

export function BuildPage({ id }: { id: string }) {
  const [build, setBuild] = useState<Build | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [trouble, setTrouble] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [jumpTo, setJumpTo] = useState<{ seq: number; at: number } | null>(null);
  const [copied, setCopied] = useState(false);
  const [busy, setBusy] = useState(false);
  const model = useRef(new BuildLog());

  const reload = useCallback(async () => {
    try {
      setBuild(await api.build(id));
      setLoadError(null);
    } catch (e) {
      setLoadError((e as ApiError).message);
    }
  }, [id]);

  useEffect(() => {
    void reload();
    return followLog(
      id,
      () => ({ attempt: model.current.attempt, after: model.current.lastSeq }),
      (messages) => {
        let changed = false;
        let statusChanged = false;
        for (const message of messages) {
          changed = model.current.apply(message) || changed;
          if (message.type === "status" || message.type === "end") statusChanged = true;
        }
        if (changed) setVersion((v) => v + 1);
        if (statusChanged) void reload();
      },
      setTrouble,
    );
  }, [id, reload]);

  const running = build !== null && !TERMINAL.has(build.status);
  const now = useNow(running);

  const act = async (action: () => Promise<void>) => {
    setBusy(true);
    setActionError(null);
    try {
      await action();
    } catch (e) {
      setActionError((e as ApiError).message);
    } finally {
      setBusy(false);
    }
  };

  if (loadError && !build) {
    return (
      <main className="mx-auto max-w-3xl p-6">
        <p role="alert" className="rounded bg-red-50 p-4 text-red-800">{loadError}</p>
        <Link to="/" className="mt-4 inline-block text-orange-700 underline">Back to the builds</Link>
      </main>
    );
  }
  if (!build) return <main className="p-6 text-slate-500">Loading…</main>;

  const { steps, known, finished } = model.current.stepList();
  const status = build.status;
  const pushedRef = build.image?.pushedRefs[0];
  const reference = pushedRef && build.image ? `${pushedRef.replace(/:[^/:]+$/, "")}@${build.image.digest}` : null;
  const inlineDockerfile = build.spec.source.dockerfile;
  const started = build.startedAt ? Date.parse(build.startedAt) : null;
  const queuedFor = build.queuedAt ? (started ?? (build.finishedAt ? Date.parse(build.finishedAt) : now)) - Date.parse(build.queuedAt) : null;
  const warnings = build.warnings ?? [];

  return (
    <main className="mx-auto flex max-w-7xl flex-col gap-4 p-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="min-w-0 break-all text-xl font-semibold md:text-2xl">{buildTitle(build)}</h1>
        <StatusBadge status={status} />
        <div className="ml-auto flex flex-wrap gap-2">
          {running && (
            <Button variant="danger" disabled={busy} onClick={() => act(async () => setBuild(await api.cancel(id)))}>Cancel</Button>
          )}
          <Button disabled={busy} onClick={() => act(async () => navigate(`/builds/${(await api.retry(id)).id}`))}>Rebuild</Button>
          {build.image?.archived && (
            // A plain link, so the browser streams the archive (up to gigabytes) to disk.
            <a className="inline-flex items-center rounded bg-white px-3 py-1.5 text-sm font-medium ring-1 ring-slate-300 hover:bg-slate-100" href={imageUrl(id)} download={`${id}.tar`}>
              Download image
            </a>
          )}
          {reference && (
            <Button
              onClick={() =>
                void copyText(reference).then(() => {
                  setCopied(true);
                  setTimeout(() => setCopied(false), 2000);
                })
              }
              title={reference}
            >
              {copied ? "Copied" : "Copy image reference"}
            </Button>
          )}
        </div>
      </div>
      {actionError && <p role="alert" className="rounded bg-red-50 p-3 text-sm text-red-800">{actionError}</p>}
      {trouble && !model.current.ended && <p role="status" className="rounded bg-amber-50 p-2 text-sm text-amber-900">{trouble}</p>}

      <dl className="grid grid-cols-2 gap-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:grid-cols-3 lg:grid-cols-6">
        <Fact label="Attempt">{build.attempt}</Fact>
        <Fact label="Worker">{build.worker ?? "—"}</Fact>
        <Fact label="Started by">{build.owner ?? "—"}</Fact>
        <Fact label="Created">{formatTime(build.createdAt)}</Fact>
        <Fact label="Waited">{formatDuration(queuedFor)}</Fact>
        <Fact label="Ran for">{formatDuration(buildDuration(build, now))}</Fact>
        {build.reason && !build.error && TERMINAL.has(status) && status !== "SUCCEEDED" && <div className="col-span-full text-sm text-slate-600">{build.reason}</div>}
      </dl>

      {build.error && <FailurePanel error={build.error} dockerfile={inlineDockerfile} steps={steps} />}
      {warnings.length > 0 && (
        <ul className="rounded-lg bg-amber-50 p-3 text-sm text-amber-900" aria-label="Warnings">
          {warnings.map((w, i) => (
            <li key={i}>{typeof w === "string" ? w : `${w.line ? `line ${w.line}: ` : ""}${w.message}`}</li>
          ))}
        </ul>
      )}

      <div className="grid gap-4 lg:grid-cols-[minmax(0,22rem)_minmax(0,1fr)]">
        <div className="flex min-w-0 flex-col gap-4">
          <Section title="Steps">
            <StepList steps={steps} known={known} finished={finished} failingStep={build.error?.step} onJump={(seq) => setJumpTo({ seq, at: Date.now() })} />
          </Section>
          {build.image && (
            <Section title="Layers">
              <LayerView layers={build.image.layers} total={build.image.size} />
            </Section>
          )}
          {inlineDockerfile && !build.error && (
            <Section title="Dockerfile">
              <DockerfileView text={inlineDockerfile} />
            </Section>
          )}
        </div>
        <Section title="Log" actions={<span className="text-xs text-slate-500">attempt {model.current.attempt || build.attempt}</span>}>
          <LogView lines={model.current.lines} version={version} jumpTo={jumpTo} />
        </Section>
      </div>
    </main>
  );
}
