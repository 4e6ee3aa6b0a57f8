/**
 * What the build form needs to know about a Dockerfile: its build arguments with their defaults
 * and its stages (the targets one may build). The gateway's analysis answers this when it is
 * there; this small reader answers it when it is not.
 */
export interface DeclaredArg {
  readonly name: string;
  /** The default value, or undefined when the ARG has none. */
  readonly defaultValue?: string;
  readonly line: number;
}

export interface Stage {
  readonly index: number;
  readonly name?: string;
  readonly image: string;
  readonly line: number;
}

export interface DockerfileOutline {
  readonly args: DeclaredArg[];
  readonly stages: Stage[];
}

/** Arguments every builder defines itself; offering them as rows would only confuse. */
const PREDEFINED = new Set([
  "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy",
  "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "TARGETPLATFORM", "TARGETOS", "TARGETARCH",
  "TARGETVARIANT", "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
]);

export function outlineDockerfile(text: string): DockerfileOutline {
  const args: DeclaredArg[] = [];
  const seen = new Set<string>();
  const stages: Stage[] = [];
  for (const { line, content } of instructions(text)) {
    const match = /^(\w+)\s+(.*)$/s.exec(content);
    if (!match) continue;
    const keyword = match[1].toUpperCase();
    const rest = match[2].trim();
    if (keyword === "FROM") {
      const words = rest.split(/\s+/).filter((w) => !w.startsWith("--"));
      const as = words.findIndex((w) => w.toUpperCase() === "AS");
      stages.push({
        index: stages.length,
        image: words[0] ?? "",
        name: as >= 0 && words[as + 1] ? words[as + 1] : undefined,
        line,
      });
    } else if (keyword === "ARG") {
      for (const word of splitWords(rest)) {
        const eq = word.indexOf("=");
        const name = eq < 0 ? word : word.slice(0, eq);
        if (name === "" || PREDEFINED.has(name) || seen.has(name)) continue;
        seen.add(name);
        args.push({ name, defaultValue: eq < 0 ? undefined : unquote(word.slice(eq + 1)), line });
      }
    }
  }
  return { args, stages };
}

/** Instructions with their first line number, continuation lines joined, comments dropped. */
function* instructions(text: string): Generator<{ line: number; content: string }> {
  const lines = text.split(/\r?\n/);
  const escape = /^#\s*escape\s*=\s*`/i.test(lines[0] ?? "") ? "`" : "\\";
  let start = 0;
  let parts: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const trimmed = raw.trim();
    if (parts.length === 0) {
      if (trimmed === "" || trimmed.startsWith("#")) continue;
      start = i + 1;
    } else if (trimmed.startsWith("#")) {
      continue;
    }
    if (trimmed.endsWith(escape)) {
      parts.push(trimmed.slice(0, -1));
      continue;
    }
    parts.push(trimmed);
    yield { line: start, content: parts.join(" ") };
    parts = [];
  }
  if (parts.length > 0) yield { line: start, content: parts.join(" ") };
}

/** Words separated by blanks, keeping quoted parts (`A="x y"`) together. */
function splitWords(text: string): string[] {
  const words: string[] = [];
  let current = "";
  let quote: string | null = null;
  for (const c of text) {
    if (quote) {
      current += c;
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
      current += c;
    } else if (/\s/.test(c)) {
      if (current) words.push(current);
      current = "";
    } else {
      current += c;
    }
  }
  if (current) words.push(current);
  return words;
}

function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) {
    return value.slice(1, -1);
  }
  return value;
}

/** A build-arg row of the form: the value is sent only when it is not the Dockerfile's default. */
export interface BuildArgRow {
  name: string;
  value: string;
  /** Whether the Dockerfile declares it (rows added by hand are not). */
  declared: boolean;
  defaultValue?: string;
}

/** Rows for the declared ARGs, keeping values already edited and rows added by hand. */
export function rowsFromArgs(args: readonly DeclaredArg[], current: readonly BuildArgRow[]): BuildArgRow[] {
  const byName = new Map(current.map((row) => [row.name, row]));
  const rows: BuildArgRow[] = args.map((arg) => {
    const existing = byName.get(arg.name);
    const edited = existing !== undefined && existing.value !== (existing.defaultValue ?? "");
    return {
      name: arg.name,
      value: edited ? existing.value : (arg.defaultValue ?? ""),
      declared: true,
      defaultValue: arg.defaultValue,
    };
  });
  const declared = new Set(args.map((a) => a.name));
  for (const row of current) {
    if (!row.declared && !declared.has(row.name)) rows.push(row);
  }
  return rows;
}

export function buildArgsToSend(rows: readonly BuildArgRow[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const row of rows) {
    const name = row.name.trim();
    if (name === "") continue;
    if (row.declared && row.value === (row.defaultValue ?? "")) continue;
    out[name] = row.value;
  }
  return out;
}

/**
 * The Dockerfile line of a build step, for builds whose error or steps do not carry one: the
 * instruction with the same text (blanks aside), or else the step's place among the
 * instructions, as builders number steps from the first FROM on.
 */
export function lineOfStep(text: string, instruction: string | undefined, step: number | undefined): number | undefined {
  const all = [...instructions(text)];
  const first = all.findIndex((i) => /^FROM\s/i.test(i.content));
  const steps = first < 0 ? [] : all.slice(first);
  const squeeze = (s: string) => s.replace(/\s+/g, " ").trim();
  if (instruction) {
    const same = steps.filter((i) => squeeze(i.content) === squeeze(instruction));
    if (same.length === 1) return same[0].line;
    if (same.length > 1 && step !== undefined) {
      const byPlace = steps[step - 1];
      if (byPlace && same.includes(byPlace)) return byPlace.line;
    }
  }
  return step !== undefined ? steps[step - 1]?.line : undefined;
}
