import type { ButtonHTMLAttributes, ReactNode } from "react";
import type { BuildStatus } from "../lib/types";

const STATUS_STYLE: Record<BuildStatus, string> = {
  QUEUED: "bg-slate-200 text-slate-800",
  ASSIGNED: "bg-sky-100 text-sky-800",
  RUNNING: "bg-sky-600 text-white",
  SUCCEEDED: "bg-green-600 text-white",
  FAILED: "bg-red-600 text-white",
  CANCELLED: "bg-slate-500 text-white",
  TIMED_OUT: "bg-amber-600 text-white",
  EXPIRED: "bg-amber-200 text-amber-900",
  ERROR: "bg-fuchsia-700 text-white",
};

export function StatusBadge({ status }: { status: BuildStatus }) {
  const running = status === "RUNNING" || status === "ASSIGNED";
  return (
    <span
      data-testid="status"
      className={`inline-flex items-center gap-1 rounded px-2 py-0.5 text-xs font-semibold uppercase tracking-wide ${STATUS_STYLE[status] ?? "bg-slate-200"}`}
    >
      {running && <span aria-hidden="true" className="h-2 w-2 animate-pulse rounded-full bg-current" />}
      {status.replace("_", " ").toLowerCase()}
    </span>
  );
}

type Variant = "primary" | "secondary" | "danger";
const VARIANT: Record<Variant, string> = {
  primary: "bg-orange-600 text-white hover:bg-orange-700 disabled:bg-orange-300",
  secondary: "bg-white text-slate-800 ring-1 ring-slate-300 hover:bg-slate-100 disabled:text-slate-400",
  danger: "bg-red-600 text-white hover:bg-red-700 disabled:bg-red-300",
};

export function Button({ variant = "secondary", className = "", ...rest }: { variant?: Variant } & ButtonHTMLAttributes<HTMLButtonElement>) {
  return (
    <button
      type="button"
      className={`inline-flex items-center justify-center gap-1 rounded px-3 py-1.5 text-sm font-medium ${VARIANT[variant]} ${className}`}
      {...rest}
    />
  );
}

/** A labelled input with the API's message for it underneath. */
export function Field({ id, label, error, hint, children }: { id: string; label: string; error?: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">{label}</label>
      {children}
      {hint && !error && <p className="text-xs text-slate-500">{hint}</p>}
      {error && (
        <p id={`${id}-error`} role="alert" className="text-sm text-red-700">{error}</p>
      )}
    </div>
  );
}

export const inputClass =
  "w-full rounded border border-slate-300 bg-white px-2 py-1.5 text-sm aria-[invalid=true]:border-red-600";

export function Section({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" aria-label={title}>
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <h2 className="text-base font-semibold">{title}</h2>
        <div className="ml-auto flex flex-wrap gap-2">{actions}</div>
      </div>
      {children}
    </section>
  );
}

export function ProgressBar({ value, label }: { value: number; label: string }) {
  const percent = Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div>
      <div className="mb-1 flex justify-between text-xs text-slate-600">
        <span>{label}</span>
        <span>{percent}%</span>
      </div>
      <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} className="h-2 w-full overflow-hidden rounded bg-slate-200">
        <div className="h-full bg-orange-500 transition-[width]" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
