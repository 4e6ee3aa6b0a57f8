import type { Build } from "./types";

/** What a person calls a build: its first tag, or where its source came from. */
export function buildTitle(build: Build): string {
  const tag = build.spec.tags?.[0];
  if (tag) return tag;
  const source = build.spec.source;
  if (source.git) return `${source.git.url}${source.git.ref ? `#${source.git.ref}` : ""}`;
  if (source.catalog) return `catalog: ${source.catalog}`;
  if (source.context) return `uploaded context ${source.context.slice(7, 19)}`;
  return "inline Dockerfile";
}

export function shortId(id: string): string {
  return id.slice(-8);
}

/** `name` and `tag` as one reference; a name that already carries a tag or digest is kept. */
export function imageReference(name: string, tag: string): string | null {
  const trimmed = name.trim();
  if (trimmed === "") return null;
  const last = trimmed.split("/").pop()!;
  if (last.includes(":") || trimmed.includes("@")) return trimmed;
  return `${trimmed}:${tag.trim() || "latest"}`;
}
