import { useState } from "react";
import { formatBytes } from "../lib/format";
import type { Layer } from "../lib/types";
import { Button } from "./ui";

export function LayerView({ layers, total }: { layers: Layer[]; total: number }) {
  const [largestFirst, setLargestFirst] = useState(false);
  if (layers.length === 0) return <p className="text-sm text-slate-500">This image has no layers.</p>;
  const shown = largestFirst ? [...layers].sort((a, b) => b.size - a.size) : layers;
  const max = Math.max(...layers.map((l) => l.size), 1);
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
        <span>{layers.length} layers, {formatBytes(total)} compressed</span>
        <Button className="ml-auto" aria-pressed={largestFirst} onClick={() => setLargestFirst(!largestFirst)} data-testid="largest-first">
          {largestFirst ? "In build order" : "Largest first"}
        </Button>
      </div>
      <ol className="flex flex-col gap-1" aria-label="Layers">
        {shown.map((layer) => (
          <li key={layer.digest} data-testid="layer" className="grid grid-cols-[5rem_1fr] items-center gap-3 text-sm md:grid-cols-[5rem_8rem_1fr]">
            <span className="text-right tabular-nums text-slate-700">{formatBytes(layer.size)}</span>
            <span className="hidden h-2 rounded bg-slate-100 md:block" aria-hidden="true">
              <span className="block h-2 rounded bg-orange-400" style={{ width: `${(layer.size / max) * 100}%` }} />
            </span>
            <span className="min-w-0 truncate font-mono text-xs" title={layer.digest}>
              {layer.instruction ?? <span className="text-slate-400">{layer.digest.slice(0, 19)}</span>}
              {layer.line ? <span className="text-slate-400"> (line {layer.line})</span> : null}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
