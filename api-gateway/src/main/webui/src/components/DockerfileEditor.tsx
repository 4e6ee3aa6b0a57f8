import { useRef } from "react";

/** A plain textarea with line numbers beside it; lines named in `marked` are highlighted. */
export function DockerfileEditor({
  id,
  value,
  onChange,
  marked = [],
  invalid,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  marked?: number[];
  invalid?: boolean;
}) {
  const gutter = useRef<HTMLDivElement>(null);
  const lines = Math.max(1, value.split("\n").length);
  const markedSet = new Set(marked);
  return (
    <div className="flex max-h-96 min-h-40 overflow-hidden rounded border border-slate-300 bg-slate-950 font-mono text-sm leading-6 text-slate-100 aria-[invalid=true]:border-red-600" aria-invalid={invalid}>
      <div ref={gutter} aria-hidden="true" className="select-none overflow-hidden bg-slate-900 px-2 py-2 text-right text-slate-500">
        {Array.from({ length: lines }, (_, i) => (
          <div key={i} className={markedSet.has(i + 1) ? "bg-amber-500/30 text-amber-200" : undefined}>{i + 1}</div>
        ))}
      </div>
      <textarea
        id={id}
        value={value}
        spellCheck={false}
        wrap="off"
        rows={Math.min(16, Math.max(6, lines))}
        onChange={(e) => onChange(e.target.value)}
        onScroll={(e) => {
          if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
        }}
        className="flex-1 resize-none bg-transparent px-3 py-2 outline-none"
      />
    </div>
  );
}

/** A Dockerfile shown read-only, one line highlighted (the failing one). */
export function DockerfileView({ text, highlight }: { text: string; highlight?: number }) {
  return (
    <ol className="overflow-x-auto rounded bg-slate-950 py-2 font-mono text-sm leading-6 text-slate-100" aria-label="Dockerfile">
      {text.replace(/\n$/, "").split("\n").map((line, i) => {
        const hit = highlight === i + 1;
        return (
          <li
            key={i}
            data-testid={hit ? "failing-line" : undefined}
            aria-current={hit ? "true" : undefined}
            className={`flex whitespace-pre ${hit ? "bg-red-600/40 ring-1 ring-red-400" : ""}`}
          >
            <span className="w-10 shrink-0 select-none pr-3 text-right text-slate-500">{i + 1}</span>
            <span>{line || " "}</span>
          </li>
        );
      })}
    </ol>
  );
}
