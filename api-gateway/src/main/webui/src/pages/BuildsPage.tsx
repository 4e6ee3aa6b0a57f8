import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { api, ApiError } from "../lib/api";
import { isAdmin } from "../lib/auth";
import { buildTitle, shortId } from "../lib/describe";
import { buildDuration, formatDuration } from "../lib/format";
import { watchBuilds, type FeedMode } from "../lib/statusFeed";
import { STATUSES, TERMINAL, type Build } from "../lib/types";
import { useNow } from "../lib/useNow";
import { useSession } from "../lib/useSession";
import { Link } from "../router";
import { StatusBadge, inputClass } from "../components/ui";

function matches(build: Build, status: string, owner: string): boolean {
  return (status === "" || build.status === status) && (owner === "" || (build.owner ?? "").toLowerCase().includes(owner.toLowerCase()));
}

export function BuildsPage() {
  const params = new URLSearchParams(window.location.search);
  const [status, setStatus] = useState(params.get("status") ?? "");
  const [ownerParam, setOwner] = useState(params.get("owner") ?? "");
  // The API lists only the caller's own builds unless it is an admin: no one else to filter by.
  const { caller } = useSession();
  const everyone = caller === null || isAdmin(caller);
  const owner = everyone ? ownerParam : "";
  const [builds, setBuilds] = useState<Build[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [mode, setMode] = useState<FeedMode>("connecting");
  const statusRef = useRef(status);
  statusRef.current = status;

  const reload = useCallback(async () => {
    try {
      const page = await api.listBuilds(statusRef.current);
      setBuilds(page.builds);
      setError(null);
    } catch (e) {
      setError((e as ApiError).message);
    }
  }, []);

  const refreshOne = useCallback(async (id: string) => {
    try {
      const build = await api.build(id);
      setBuilds((current) => {
        if (current === null) return current;
        const rest = current.filter((b) => b.id !== build.id);
        if (statusRef.current !== "" && build.status !== statusRef.current) return rest;
        // Ids are time-ordered, so sorting by id keeps the list newest first.
        return [build, ...rest].sort((a, b) => (a.id < b.id ? 1 : -1));
      });
    } catch (e) {
      // A build that is gone, or not the caller's to see: not in this list.
      if (e instanceof ApiError && e.status === 404) setBuilds((current) => current && current.filter((b) => b.id !== id));
      else void reload();
    }
  }, [reload]);

  useEffect(() => {
    void reload();
    const search = new URLSearchParams();
    if (status) search.set("status", status);
    if (owner) search.set("owner", owner);
    const query = search.toString();
    history.replaceState(null, "", query ? `/?${query}` : "/");
  }, [status, owner, reload]);

  useEffect(() => watchBuilds((id) => (id ? void refreshOne(id) : void reload()), setMode), [reload, refreshOne]);

  const shown = useMemo(() => (builds ?? []).filter((b) => matches(b, status, owner)), [builds, status, owner]);
  const owners = useMemo(() => [...new Set((builds ?? []).map((b) => b.owner).filter(Boolean))] as string[], [builds]);
  const now = useNow(shown.some((b) => !TERMINAL.has(b.status)));

  return (
    <main className="mx-auto max-w-7xl p-4">
      <div className="mb-4 flex flex-wrap items-end gap-3">
        <h1 className="text-2xl font-semibold">Builds</h1>
        <span className="text-xs text-slate-500" data-testid="feed-mode" title="how this list stays current">
          {mode === "live" ? "● live" : mode === "polling" ? "refreshing every few seconds" : "connecting…"}
        </span>
        <div className="ml-auto flex flex-wrap gap-3">
          <label className="flex flex-col text-xs text-slate-600">
            Status
            <select className={inputClass} value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">any</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>{s.toLowerCase().replace("_", " ")}</option>
              ))}
            </select>
          </label>
          {everyone ? (
            <label className="flex flex-col text-xs text-slate-600">
              Started by
              <input className={inputClass} list="owners" value={owner} placeholder="anyone" onChange={(e) => setOwner(e.target.value)} />
              <datalist id="owners">{owners.map((o) => <option key={o} value={o} />)}</datalist>
            </label>
          ) : (
            <p className="self-end pb-1.5 text-xs text-slate-600" data-testid="own-builds-only">Only your builds are listed</p>
          )}
          <Link to="/builds/new" className="self-end rounded bg-orange-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-orange-700">
            New build
          </Link>
        </div>
      </div>
      {error && <p role="alert" className="mb-3 rounded bg-red-50 p-3 text-sm text-red-800">{error}</p>}
      {builds === null && !error && <p className="text-slate-500">Loading…</p>}
      {builds !== null && shown.length === 0 && (
        <p className="rounded-lg bg-white p-6 text-center text-slate-600 ring-1 ring-slate-200">
          No builds{status || owner ? " match these filters" : " yet"}. <Link to="/builds/new" className="text-orange-700 underline">Start one</Link>.
        </p>
      )}
      {shown.length > 0 && (
        <div className="overflow-hidden rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
          <div role="table" aria-label="Builds" className="w-full text-sm">
            <div role="row" className="hidden grid-cols-[1fr_8rem_7rem_10rem_11rem] gap-3 border-b border-slate-200 bg-slate-50 px-4 py-2 font-medium text-slate-600 md:grid">
              <span role="columnheader">Image</span>
              <span role="columnheader">Status</span>
              <span role="columnheader">Duration</span>
              <span role="columnheader">Started by</span>
              <span role="columnheader">Created</span>
            </div>
            {shown.map((build) => (
              <Link
                key={build.id}
                to={`/builds/${build.id}`}
                role="row"
                data-testid="build-row"
                data-build-id={build.id}
                className="grid grid-cols-[1fr_auto] gap-x-3 gap-y-1 border-b border-slate-100 px-4 py-3 last:border-0 hover:bg-orange-50 md:grid-cols-[1fr_8rem_7rem_10rem_11rem] md:items-center"
              >
                <span role="cell" className="min-w-0 truncate font-medium text-slate-900" title={buildTitle(build)}>
                  {buildTitle(build)}
                  <span className="ml-2 font-mono text-xs text-slate-400">{shortId(build.id)}</span>
                </span>
                <span role="cell"><StatusBadge status={build.status} /></span>
                <span role="cell" className="text-slate-600 tabular-nums">
                  <span className="md:hidden">took </span>{formatDuration(buildDuration(build, now))}
                </span>
                <span role="cell" className="truncate text-slate-600">{build.owner ?? "—"}</span>
                <span role="cell" className="col-span-2 text-xs text-slate-500 md:col-span-1 md:text-sm">
                  {new Date(build.createdAt).toLocaleString()}
                </span>
              </Link>
            ))}
          </div>
        </div>
      )}
    </main>
  );
}
