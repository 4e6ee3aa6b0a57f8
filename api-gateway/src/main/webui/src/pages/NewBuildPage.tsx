import { useEffect, useRef, useState, type DragEvent, type FormEvent } from "react";
import { analyzeDockerfile, type Analysis } from "../lib/analysis";
import { api, ApiError, formFieldOf, uploadContext, type FormField, type Upload } from "../lib/api";
import { dockerfileCandidates, fromDrop, fromFileList, tarEntries, type PickedContext } from "../lib/contextFiles";
import { buildArgsToSend, rowsFromArgs, type BuildArgRow } from "../lib/dockerfile";
import { imageReference } from "../lib/describe";
import { formatBytes } from "../lib/format";
import { buildTar } from "../lib/tar";
import { navigate } from "../router";
import { BuildArgsEditor } from "../components/BuildArgsEditor";
import { DockerfileEditor } from "../components/DockerfileEditor";
import { Button, Field, ProgressBar, Section, inputClass } from "../components/ui";

type SourceKind = "folder" | "git" | "inline";
type Phase = { kind: "idle" } | { kind: "packing"; done: number; total: number } | { kind: "uploading"; sent: number; total: number } | { kind: "submitting" };

const PLATFORMS = ["linux/amd64", "linux/arm64", "linux/arm/v7", "linux/386", "linux/ppc64le", "linux/s390x"];

function numberOrUndefined(text: string): number | undefined {
  return text.trim() === "" ? undefined : Number(text);
}

export function NewBuildPage() {
  const [kind, setKind] = useState<SourceKind>("folder");
  const [picked, setPicked] = useState<PickedContext | null>(null);
  const [dockerfilePath, setDockerfilePath] = useState("");
  const [dockerfileText, setDockerfileText] = useState("");
  const [gitUrl, setGitUrl] = useState("");
  const [gitRef, setGitRef] = useState("");
  const [gitSubdir, setGitSubdir] = useState("");
  const [gitDockerfile, setGitDockerfile] = useState("Dockerfile");
  const [image, setImage] = useState("");
  const [tag, setTag] = useState("latest");
  const [push, setPush] = useState(false);
  const [rows, setRows] = useState<BuildArgRow[]>([]);
  const [noCache, setNoCache] = useState(false);
  const [pull, setPull] = useState("missing");
  const [squash, setSquash] = useState(false);
  const [target, setTarget] = useState("");
  const [platform, setPlatform] = useState("");
  const [cpus, setCpus] = useState("");
  const [memory, setMemory] = useState("");
  const [timeout, setTimeoutMinutes] = useState("");
  const [errors, setErrors] = useState<Partial<Record<FormField, string>>>({});
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [analysis, setAnalysis] = useState<Analysis | null>(null);
  const [dragging, setDragging] = useState(false);
  const uploaded = useRef<{ context: PickedContext; digest: string } | null>(null);
  const upload = useRef<Upload | null>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  // Pre-fill build args and targets from the Dockerfile, a moment after typing stops.
  useEffect(() => {
    if (dockerfileText.trim() === "") {
      setAnalysis(null);
      return;
    }
    let current = true;
    const timer = setTimeout(async () => {
      const result = await analyzeDockerfile(dockerfileText);
      if (!current) return;
      setAnalysis(result);
      setRows((existing) => rowsFromArgs(result.args, existing));
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [dockerfileText]);

  useEffect(() => () => upload.current?.abort(), []);

  const takeContext = async (context: PickedContext) => {
    setPicked(context);
    setKind("folder");
    setErrors({});
    const candidates = dockerfileCandidates(context);
    const chosen = candidates[0] ?? "";
    setDockerfilePath(chosen);
    const file = context.files.find((f) => f.path === chosen);
    setDockerfileText(file ? await file.file.text() : "");
    if (!file) setErrors({ context: "This folder has no Dockerfile; write one below or pick another folder." });
  };

  const chooseDockerfile = async (path: string) => {
    setDockerfilePath(path);
    const file = picked?.files.find((f) => f.path === path);
    if (file) setDockerfileText(await file.file.text());
  };

  const onDrop = async (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const dropped = await fromDrop(event.dataTransfer.items);
    if (!dropped) return;
    if ("context" in dropped) await takeContext(dropped.context);
    else {
      setKind("inline");
      setDockerfileText(await dropped.dockerfile.text());
    }
  };

  const setError = (field: FormField, message: string) => setErrors({ [field]: message });

  const contextDigest = async (context: PickedContext): Promise<string> => {
    if (uploaded.current?.context === context) return uploaded.current.digest;
    setPhase({ kind: "packing", done: 0, total: context.files.length });
    const tar = await buildTar(tarEntries(context), (p) => setPhase({ kind: "packing", done: p.entries, total: p.total }));
    setPhase({ kind: "uploading", sent: 0, total: tar.size });
    upload.current = uploadContext(tar, (sent, total) => setPhase({ kind: "uploading", sent, total }));
    const { digest } = await upload.current.done;
    uploaded.current = { context, digest };
    return digest;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setErrors({});
    const reference = imageReference(image, tag);
    let source: Record<string, unknown>;
    if (kind === "folder") {
      if (!picked) return setError("context", "Choose or drop the folder to build first.");
      if (dockerfileText.trim() === "") return setError("dockerfileText", "The Dockerfile is empty.");
      try {
        // The Dockerfile goes inline, as edited here; the build page can then show its lines.
        source = { context: await contextDigest(picked), dockerfile: dockerfileText };
      } catch (e) {
        setPhase({ kind: "idle" });
        const error = e as ApiError;
        return setError("context", `The upload failed: ${error.message}. Press Build to try again.`);
      }
    } else if (kind === "git") {
      if (gitUrl.trim() === "") return setError("gitUrl", "Give the repository's URL.");
      source = { git: { url: gitUrl.trim(), ref: gitRef.trim() || undefined, subdir: gitSubdir.trim() || undefined } };
    } else {
      if (dockerfileText.trim() === "") return setError("dockerfileText", "Write or open a Dockerfile first.");
      source = { dockerfile: dockerfileText };
    }
    const spec = {
      source,
      dockerfile: kind === "git" ? gitDockerfile.trim() || undefined : undefined,
      target: target || undefined,
      buildArgs: buildArgsToSend(rows),
      tags: reference ? [reference] : [],
      push: push && reference !== null,
      options: { noCache, pull, squash, platform: platform.trim() || undefined },
      limits: {
        cpus: numberOrUndefined(cpus),
        memoryMb: numberOrUndefined(memory),
        timeoutSeconds: timeout.trim() === "" ? undefined : Math.round(Number(timeout) * 60),
      },
    };
    setPhase({ kind: "submitting" });
    try {
      const build = await api.submit(spec);
      navigate(`/builds/${build.id}`);
    } catch (e) {
      setPhase({ kind: "idle" });
      const error = e as ApiError;
      setError(formFieldOf(error), error.message);
    }
  };

  const busy = phase.kind !== "idle";
  const stages = analysis?.stages ?? [];
  const findings = analysis?.findings ?? [];
  const invalid = (field: FormField) => (errors[field] ? true : undefined);

  return (
    <main
      className={`mx-auto max-w-5xl p-4 ${dragging ? "outline-4 outline-dashed outline-orange-400" : ""}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <h1 className="mb-1 text-2xl font-semibold">New build</h1>
      <p className="mb-4 text-sm text-slate-600">Drop a folder with a Dockerfile anywhere on this page, or choose where the build comes from.</p>
      <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
        {errors.form && <p role="alert" className="rounded bg-red-50 p-3 text-sm text-red-800">{errors.form}</p>}
        <Section title="Source">
          <div role="radiogroup" aria-label="Where the build comes from" className="mb-4 flex flex-wrap gap-2">
            {([["folder", "A folder"], ["git", "A git repository"], ["inline", "Just a Dockerfile"]] as const).map(([value, label]) => (
              <label key={value} className={`cursor-pointer rounded px-3 py-1.5 text-sm ring-1 ${kind === value ? "bg-orange-100 ring-orange-400" : "ring-slate-300"}`}>
                <input type="radio" name="source" value={value} checked={kind === value} onChange={() => setKind(value)} className="mr-2" />
                {label}
              </label>
            ))}
          </div>
          {errors.source && <p role="alert" className="mb-3 text-sm text-red-700">{errors.source}</p>}
          {kind === "folder" && (
            <div className="flex flex-col gap-3">
              <div
                data-testid="drop-zone"
                aria-invalid={invalid("context")}
                className="flex flex-col items-center gap-2 rounded-lg border-2 border-dashed border-slate-300 p-6 text-center aria-[invalid=true]:border-red-500"
              >
                <p className="text-slate-700">Drop the folder to build here (the build context, with its Dockerfile)</p>
                <div className="flex flex-wrap justify-center gap-2">
                  <Button onClick={() => folderInput.current?.click()}>Choose a folder…</Button>
                </div>
                <input
                  ref={folderInput}
                  id="context"
                  data-testid="folder-input"
                  type="file"
                  className="sr-only"
                  tabIndex={-1}
                  aria-label="Folder to build"
                  {...{ webkitdirectory: "", directory: "" }}
                  multiple
                  onChange={async (e) => {
                    if (e.target.files && e.target.files.length > 0) await takeContext(await fromFileList(e.target.files));
                  }}
                />
                {picked && (
                  <p className="text-sm text-slate-600" data-testid="picked-summary">
                    <strong>{picked.name}</strong>: {picked.files.length} files, {formatBytes(picked.bytes)}
                    {picked.hasDockerignore && `, ${picked.ignored} left out by .dockerignore`}
                  </p>
                )}
              </div>
              {errors.context && <p id="context-error" role="alert" className="text-sm text-red-700">{errors.context}</p>}
              {picked && dockerfileCandidates(picked).length > 1 && (
                <Field id="dockerfilePath" label="Dockerfile">
                  <select id="dockerfilePath" className={inputClass} value={dockerfilePath} onChange={(e) => void chooseDockerfile(e.target.value)}>
                    {dockerfileCandidates(picked).map((p) => <option key={p}>{p}</option>)}
                  </select>
                </Field>
              )}
              <p className="text-xs text-slate-500">Browsers do not tell a file's permissions, so every uploaded file is executable in the context.</p>
            </div>
          )}
          {kind === "git" && (
            <div className="grid gap-3 md:grid-cols-2">
              <Field id="gitUrl" label="Repository URL" error={errors.gitUrl}>
                <input id="gitUrl" className={inputClass} value={gitUrl} onChange={(e) => setGitUrl(e.target.value)} placeholder="https://git.example.com/team/app.git" aria-invalid={invalid("gitUrl")} />
              </Field>
              <Field id="gitRef" label="Branch, tag or commit" error={errors.gitRef} hint="The default branch when empty.">
                <input id="gitRef" className={inputClass} value={gitRef} onChange={(e) => setGitRef(e.target.value)} placeholder="main" aria-invalid={invalid("gitRef")} />
              </Field>
              <Field id="gitSubdir" label="Folder inside the repository" error={errors.gitSubdir} hint="The repository's root when empty.">
                <input id="gitSubdir" className={inputClass} value={gitSubdir} onChange={(e) => setGitSubdir(e.target.value)} aria-invalid={invalid("gitSubdir")} />
              </Field>
              <Field id="gitDockerfile" label="Dockerfile path" error={errors.dockerfilePath}>
                <input id="gitDockerfile" className={inputClass} value={gitDockerfile} onChange={(e) => setGitDockerfile(e.target.value)} aria-invalid={invalid("dockerfilePath")} />
              </Field>
            </div>
          )}
          {kind === "inline" && (
            <div>
              <Button onClick={() => fileInput.current?.click()}>Open a Dockerfile…</Button>
              <input
                ref={fileInput}
                type="file"
                className="sr-only"
                tabIndex={-1}
                aria-label="Dockerfile to open"
                data-testid="dockerfile-input"
                onChange={async (e) => {
                  const file = e.target.files?.[0];
                  if (file) setDockerfileText(await file.text());
                }}
              />
            </div>
          )}
        </Section>

        {kind !== "git" && (
          <Section title="Dockerfile">
            <Field id="dockerfileText" label={kind === "folder" && dockerfilePath ? `${dockerfilePath} (changes here are used for this build only)` : "Dockerfile"} error={errors.dockerfileText}>
              <DockerfileEditor
                id="dockerfileText"
                value={dockerfileText}
                onChange={setDockerfileText}
                invalid={invalid("dockerfileText")}
                marked={findings.flatMap((f) => (f.line ? [f.line] : []))}
              />
            </Field>
            {findings.length > 0 && (
              <ul className="mt-3 flex flex-col gap-1 text-sm" aria-label="Findings">
                {findings.map((f, i) => (
                  <li key={i} className="rounded bg-amber-50 px-2 py-1 text-amber-900">
                    <span className="font-semibold">{f.severity}</span> {f.line ? `line ${f.line}: ` : ""}{f.message}
                    {f.hint && <span className="text-amber-800"> — {f.hint}</span>}
                  </li>
                ))}
              </ul>
            )}
          </Section>
        )}

        <Section title="Image">
          <div className="grid gap-3 md:grid-cols-[2fr_1fr]">
            <Field id="image" label="Image name" error={errors.image} hint="With the registry to push to, such as localhost:5000/team/app. Leave empty to keep the image for download.">
              <input id="image" className={inputClass} value={image} onChange={(e) => {
                setImage(e.target.value);
                if (/^[^/]+[.:][^/]*\//.test(e.target.value) || e.target.value.startsWith("localhost/")) setPush(true);
              }} aria-invalid={invalid("image")} />
            </Field>
            <Field id="tag" label="Tag">
              <input id="tag" className={inputClass} value={tag} onChange={(e) => setTag(e.target.value)} />
            </Field>
          </div>
          <label className="mt-3 flex items-center gap-2 text-sm">
            <input type="checkbox" checked={push && image.trim() !== ""} disabled={image.trim() === ""} onChange={(e) => setPush(e.target.checked)} />
            Push to the registry (otherwise the image is kept for download)
          </label>
          {errors.push && <p role="alert" className="text-sm text-red-700">{errors.push}</p>}
        </Section>

        <Section title="Build arguments">
          <BuildArgsEditor rows={rows} onChange={setRows} error={errors.buildArgs} />
        </Section>

        <Section title="Options">
          <div className="grid gap-3 md:grid-cols-3">
            <Field id="target" label="Target stage" error={errors.target}>
              {kind !== "git" ? (
                <select id="target" className={inputClass} value={target} onChange={(e) => setTarget(e.target.value)} aria-invalid={invalid("target")}>
                  <option value="">the last stage</option>
                  {stages.filter((s) => s.name).map((s) => <option key={s.index} value={s.name}>{s.name} (FROM {s.image})</option>)}
                </select>
              ) : (
                <input id="target" className={inputClass} value={target} onChange={(e) => setTarget(e.target.value)} placeholder="the last stage" aria-invalid={invalid("target")} />
              )}
            </Field>
            <Field id="platform" label="Platform" error={errors.platform} hint="The worker's own when empty.">
              <input id="platform" className={inputClass} list="platforms" value={platform} onChange={(e) => setPlatform(e.target.value)} aria-invalid={invalid("platform")} />
              <datalist id="platforms">{PLATFORMS.map((p) => <option key={p} value={p} />)}</datalist>
            </Field>
            <Field id="pull" label="Pull base images" error={errors.pull}>
              <select id="pull" className={inputClass} value={pull} onChange={(e) => setPull(e.target.value)}>
                <option value="missing">when missing</option>
                <option value="always">always</option>
                <option value="never">never</option>
              </select>
            </Field>
          </div>
          <div className="mt-3 flex flex-wrap gap-6 text-sm">
            <label className="flex items-center gap-2"><input type="checkbox" checked={noCache} onChange={(e) => setNoCache(e.target.checked)} />No cache</label>
            <label className="flex items-center gap-2"><input type="checkbox" checked={squash} onChange={(e) => setSquash(e.target.checked)} />Squash new layers</label>
          </div>
        </Section>

        <Section title="Limits">
          <div className="grid gap-3 md:grid-cols-3">
            <Field id="cpus" label="CPUs" error={errors.cpus} hint="Such as 1.5; no limit when empty.">
              <input id="cpus" type="number" min="0" step="0.5" inputMode="decimal" className={inputClass} value={cpus} onChange={(e) => setCpus(e.target.value)} aria-invalid={invalid("cpus")} />
            </Field>
            <Field id="memory" label="Memory (MiB)" error={errors.memory}>
              <input id="memory" type="number" min="0" inputMode="numeric" className={inputClass} value={memory} onChange={(e) => setMemory(e.target.value)} aria-invalid={invalid("memory")} />
            </Field>
            <Field id="timeout" label="Timeout (minutes)" error={errors.timeout}>
              <input id="timeout" type="number" min="0" inputMode="numeric" className={inputClass} value={timeout} onChange={(e) => setTimeoutMinutes(e.target.value)} aria-invalid={invalid("timeout")} />
            </Field>
          </div>
        </Section>

        <div className="flex flex-col gap-3 rounded-lg bg-white p-4 shadow ring-1 ring-slate-200 md:flex-row md:items-center">
          <div className="flex-1">
            {phase.kind === "packing" && <ProgressBar value={phase.total ? phase.done / phase.total : 0} label={`Packing ${phase.done} of ${phase.total} files`} />}
            {phase.kind === "uploading" && <ProgressBar value={phase.total ? phase.sent / phase.total : 0} label={`Uploading ${formatBytes(phase.sent)} of ${formatBytes(phase.total)}`} />}
            {phase.kind === "submitting" && <p className="text-sm text-slate-600">Submitting…</p>}
          </div>
          {phase.kind === "uploading" && <Button onClick={() => upload.current?.abort()}>Stop upload</Button>}
          <Button type="submit" variant="primary" disabled={busy} className="px-6 py-2 text-base">Build</Button>
        </div>
      </form>
    </main>
  );
}
