/**
 * The rules of a `.dockerignore` file, matched the way Docker matches them: Go-style globs on
 * slash-separated paths relative to the context root, `**` for any number of folders, `!` to
 * take a path back in, the last matching rule winning, and a rule that matches a folder
 * matching everything inside it.
 */
export interface IgnoreRule {
  readonly pattern: string;
  readonly exception: boolean;
  readonly regex: RegExp;
}

export function parseDockerignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    let exception = false;
    if (line.startsWith("!")) {
      exception = true;
      line = line.slice(1).trim();
    }
    const pattern = cleanPath(line);
    if (pattern === "") continue;
    rules.push({ pattern, exception, regex: globToRegex(pattern) });
  }
  return rules;
}

/** Whether a context path (`dir/file.txt`, no leading slash) is left out of the context. */
export function isIgnored(rules: readonly IgnoreRule[], path: string): boolean {
  const target = cleanPath(path);
  const candidates = selfAndParents(target);
  let ignored = false;
  for (const rule of rules) {
    if (candidates.some((candidate) => rule.regex.test(candidate))) {
      ignored = !rule.exception;
    }
  }
  return ignored;
}

/**
 * Whether nothing under an ignored folder can come back: only then may a walk skip it, since an
 * exception such as `!build/keep.txt` can take back a file inside a folder that `build` leaves out.
 */
export function canSkipFolder(rules: readonly IgnoreRule[], folder: string): boolean {
  return isIgnored(rules, folder) && !rules.some((rule) => rule.exception);
}

function selfAndParents(path: string): string[] {
  const parts = path.split("/");
  const result: string[] = [];
  for (let i = 1; i <= parts.length; i++) result.push(parts.slice(0, i).join("/"));
  return result;
}

/** Like Go's filepath.Clean for relative paths, without a leading `/` or `./`. */
function cleanPath(path: string): string {
  const out: string[] = [];
  for (const part of path.replace(/\\(?=[^*?[\]\\])/g, "/").split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      out.pop();
      continue;
    }
    out.push(part);
  }
  return out.join("/");
}

function globToRegex(pattern: string): RegExp {
  let re = "^";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*") {
      if (pattern[i + 1] === "*") {
        i++;
        if (pattern[i + 1] === "/") {
          i++;
          re += "(?:.*/)?";
        } else {
          re += ".*";
        }
      } else {
        re += "[^/]*";
      }
    } else if (c === "?") {
      re += "[^/]";
    } else if (c === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end < 0) {
        re += "\\[";
        continue;
      }
      let body = pattern.slice(i + 1, end);
      if (body.startsWith("!") || body.startsWith("^")) body = "^" + body.slice(1);
      re += "[" + body.replace(/\\/g, "\\\\") + "]";
      i = end;
    } else if (c === "\\" && i + 1 < pattern.length) {
      i++;
      re += escapeRegex(pattern[i]);
    } else {
      re += escapeRegex(c);
    }
  }
  return new RegExp(re + "$");
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
