import type { BuildArgRow } from "../lib/dockerfile";
import { Button, inputClass } from "./ui";

export function BuildArgsEditor({ rows, onChange, error }: { rows: BuildArgRow[]; onChange: (rows: BuildArgRow[]) => void; error?: string }) {
  const update = (index: number, change: Partial<BuildArgRow>) => onChange(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  return (
    <fieldset className="flex flex-col gap-2" aria-describedby={error ? "buildArgs-error" : undefined}>
      <legend className="sr-only">Build arguments</legend>
      {rows.length === 0 && <p className="text-sm text-slate-500">No build arguments. The Dockerfile's ARGs show up here.</p>}
      {rows.map((row, index) => (
        <div key={index} className="grid grid-cols-[1fr_1fr_auto] items-center gap-2" data-testid="build-arg">
          <input
            aria-label={`Name of build argument ${index + 1}`}
            className={`${inputClass} font-mono`}
            value={row.name}
            readOnly={row.declared}
            onChange={(e) => update(index, { name: e.target.value })}
            placeholder="NAME"
          />
          <input
            aria-label={`Value of ${row.name || `build argument ${index + 1}`}`}
            className={`${inputClass} font-mono`}
            value={row.value}
            onChange={(e) => update(index, { value: e.target.value })}
            placeholder={row.declared ? (row.defaultValue === undefined ? "no default" : `default: ${row.defaultValue}`) : "value"}
          />
          {row.declared ? (
            <span className="w-16 text-xs text-slate-500" title="declared by the Dockerfile">ARG</span>
          ) : (
            <Button className="w-16" aria-label={`Remove ${row.name || "this row"}`} onClick={() => onChange(rows.filter((_, i) => i !== index))}>
              Remove
            </Button>
          )}
        </div>
      ))}
      <div>
        <Button onClick={() => onChange([...rows, { name: "", value: "", declared: false }])}>Add a build argument</Button>
      </div>
      {error && <p id="buildArgs-error" role="alert" className="text-sm text-red-700">{error}</p>}
    </fieldset>
  );
}
