import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { parseAnsi } from "../lib/ansi";
import { TailFollower, lineFromHash, searchLines, visibleRows } from "../lib/logView";
import type { LogLine } from "../lib/types";
import { Button } from "./ui";

const ROW = 20;

/**
 * The log of a build: only the rows in view are drawn, so a log of a million lines scrolls as
 * smoothly as one of ten. It follows new lines until the reader scrolls up.
 */
export function LogView({ lines, version, jumpTo }: { lines: LogLine[]; version: number; jumpTo: { seq: number; at: number } | null }) {
  const box = useRef<HTMLDivElement>(null);
  const follower = useRef(new TailFollower());
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(480);
  const [following, setFollowing] = useState(true);
  const [query, setQuery] = useState("");
  const [hit, setHit] = useState(0);
  const [marked, setMarked] = useState<number | null>(() => lineFromHash(window.location.hash));
  const pendingJump = useRef<number | null>(marked);
  const searched = useRef(false);

  const hits = useMemo(() => searchLines(lines, query), [lines, version, query]);
  const hitSet = useMemo(() => new Set(hits), [hits]);

  const scrollToIndex = (index: number) => {
    const el = box.current;
    if (!el) return;
    const target = Math.max(0, index * ROW - el.clientHeight / 3);
    el.scrollTop = target;
    follower.current.stop();
    follower.current.movedTo(el.scrollTop);
    setFollowing(false);
  };

  const indexOfSeq = (seq: number) => {
    // Lines are in seq order: a binary search finds one among millions at once.
    let lo = 0;
    let hi = lines.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (lines[mid].seq === seq) return mid;
      if (lines[mid].seq < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    if (pendingJump.current !== null) {
      const index = indexOfSeq(pendingJump.current);
      if (index >= 0) {
        pendingJump.current = null;
        scrollToIndex(index);
        return;
      }
    }
    if (follower.current.following) {
      el.scrollTop = el.scrollHeight;
      follower.current.movedTo(el.scrollTop);
      setTop(el.scrollTop);
    }
  }, [version]);

  useEffect(() => {
    if (!jumpTo) return;
    const index = indexOfSeq(jumpTo.seq);
    if (index >= 0) {
      setMarked(jumpTo.seq);
      scrollToIndex(index);
    }
  }, [jumpTo]);

  useEffect(() => {
    const onHash = () => {
      const seq = lineFromHash(window.location.hash);
      if (seq === null) return;
      setMarked(seq);
      const index = indexOfSeq(seq);
      if (index >= 0) scrollToIndex(index);
      else pendingJump.current = seq;
    };
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  });

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const goToHit = (next: number) => {
    if (hits.length === 0) return;
    const wrapped = ((next % hits.length) + hits.length) % hits.length;
    setHit(wrapped);
    scrollToIndex(hits[wrapped]);
  };

  const follow = () => {
    const el = box.current;
    follower.current.follow();
    setFollowing(true);
    if (el) {
      el.scrollTop = el.scrollHeight;
      follower.current.movedTo(el.scrollTop);
    }
  };

  const { first, last } = visibleRows(top, height, ROW, lines.length);
  const shown = lines.slice(first, last);

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2">
        <input
          type="search"
          aria-label="Search the log"
          placeholder="Search the log"
          className="min-w-0 flex-1 rounded border border-slate-300 px-2 py-1 text-sm"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setHit(0);
            searched.current = false;
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              // The first Enter shows the first match; the next ones move on (Shift: back).
              goToHit(!searched.current ? 0 : e.shiftKey ? hit - 1 : hit + 1);
              searched.current = true;
            }
          }}
        />
        <span className="text-xs text-slate-600 tabular-nums" aria-live="polite" data-testid="search-count">
          {query.trim() ? (hits.length ? `${hit + 1} of ${hits.length}` : "no match") : `${lines.length} lines`}
        </span>
        <Button onClick={() => goToHit(hit - 1)} disabled={hits.length === 0} aria-label="Previous match">↑</Button>
        <Button onClick={() => goToHit(hit + 1)} disabled={hits.length === 0} aria-label="Next match">↓</Button>
        <Button onClick={follow} aria-pressed={following} data-testid="follow">
          {following ? "Following" : "Follow"}
        </Button>
      </div>
      <div
        ref={box}
        data-testid="log"
        tabIndex={0}
        role="log"
        aria-label="Build log"
        className="relative h-[60vh] min-h-64 overflow-auto rounded bg-slate-950 font-mono text-[13px] text-slate-200"
        onScroll={(e) => {
          const el = e.currentTarget;
          follower.current.onScroll(el.scrollTop, el.clientHeight, el.scrollHeight);
          setFollowing(follower.current.following);
          setTop(el.scrollTop);
        }}
      >
        {lines.length === 0 && <p className="p-3 text-slate-400">Waiting for the first line…</p>}
        <div style={{ height: lines.length * ROW }} className="relative w-max min-w-full">
          <div style={{ transform: `translateY(${first * ROW}px)` }} className="absolute left-0 right-0 top-0">
            {shown.map((line, i) => {
              const index = first + i;
              const isHit = hitSet.has(index);
              const current = hits[hit] === index;
              return (
                <div
                  key={line.seq}
                  id={`L${line.seq}`}
                  data-seq={line.seq}
                  className={`flex h-5 whitespace-pre leading-5 ${marked === line.seq ? "bg-amber-400/25" : current ? "bg-orange-500/40" : isHit ? "bg-orange-500/15" : ""} ${line.stream === "stderr" ? "text-rose-200" : ""}`}
                >
                  <a
                    href={`#L${line.seq}`}
                    className="sticky left-0 w-14 shrink-0 select-none bg-slate-950 pr-3 text-right text-slate-500 hover:text-slate-200"
                    onClick={(e) => {
                      e.preventDefault();
                      history.replaceState(null, "", `#L${line.seq}`);
                      setMarked(line.seq);
                      follower.current.stop();
                      setFollowing(false);
                    }}
                  >
                    {line.seq}
                  </a>
                  <span className="pr-4">
                    {parseAnsi(line.text).map((span, k) => (
                      <span
                        key={k}
                        style={{
                          color: span.fg,
                          backgroundColor: span.bg,
                          fontWeight: span.bold ? 700 : undefined,
                          opacity: span.dim ? 0.7 : undefined,
                          fontStyle: span.italic ? "italic" : undefined,
                          textDecoration: span.underline ? "underline" : undefined,
                        }}
                      >
                        {span.text}
                      </span>
                    ))}
                  </span>
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}
