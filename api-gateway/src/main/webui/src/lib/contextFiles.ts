import { canSkipFolder, isIgnored, parseDockerignore, type IgnoreRule } from "./dockerignore";
import type { TarEntry } from "./tar";

/** A folder picked or dropped as a build context, with what `.dockerignore` leaves out removed. */
export interface PickedContext {
  readonly name: string;
  readonly files: { path: string; file: File }[];
  readonly folders: string[];
  readonly ignored: number;
  readonly bytes: number;
  readonly hasDockerignore: boolean;
}

const DOCKERFILE_NAMES = ["Dockerfile", "Containerfile", "dockerfile"];

/** The files that look like Dockerfiles, the likeliest first. */
export function dockerfileCandidates(context: PickedContext): string[] {
  const paths = context.files.map((f) => f.path).filter((p) => /(^|\/)([\w.-]*\.)?(docker|container)file([.\w-]*)$/i.test(p));
  const rank = (p: string) => {
    const exact = DOCKERFILE_NAMES.indexOf(p);
    return exact >= 0 ? exact : 10 + p.split("/").length;
  };
  return paths.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export function tarEntries(context: PickedContext): TarEntry[] {
  return [
    ...context.folders.map((path) => ({ path })),
    ...context.files.map(({ path, file }) => ({ path, data: file, mtimeMs: file.lastModified })),
  ];
}

/** From an `<input type="file" webkitdirectory>`: paths start with the folder's own name. */
export async function fromFileList(list: ArrayLike<File>): Promise<PickedContext> {
  const all = Array.from(list);
  const rootName = all[0]?.webkitRelativePath.split("/")[0] ?? "";
  const files = all.map((file) => ({ path: file.webkitRelativePath.split("/").slice(1).join("/") || file.name, file }));
  const ignoreFile = files.find((f) => f.path === ".dockerignore");
  const rules = ignoreFile ? parseDockerignore(await ignoreFile.file.text()) : [];
  const kept = files.filter((f) => !isIgnored(rules, f.path));
  const folders = new Set<string>();
  for (const { path } of kept) {
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join("/"));
  }
  return summarize(rootName, kept, [...folders].sort(), files.length - kept.length, ignoreFile !== undefined);
}

/**
 * From a drop: one folder is the context; several files and folders together are the context's
 * top level. Returns null when the drop held no files at all (text, say).
 */
export async function fromDrop(items: DataTransferItemList): Promise<{ context: PickedContext } | { dockerfile: File } | null> {
  const entries = Array.from(items)
    .map((item) => (item.kind === "file" ? item.webkitGetAsEntry() : null))
    .filter((e): e is FileSystemEntry => e !== null);
  if (entries.length === 0) return null;
  if (entries.length === 1 && entries[0].isFile) return { dockerfile: await fileOf(entries[0] as FileSystemFileEntry) };
  const single = entries.length === 1 && entries[0].isDirectory;
  const top = single ? await readAll(entries[0] as FileSystemDirectoryEntry) : entries;
  const ignoreEntry = top.find((e) => e.isFile && e.name === ".dockerignore") as FileSystemFileEntry | undefined;
  const rules = ignoreEntry ? parseDockerignore(await (await fileOf(ignoreEntry)).text()) : [];
  const walk = { files: [] as { path: string; file: File }[], folders: [] as string[], ignored: 0 };
  await collect(top, "", rules, walk);
  return { context: summarize(single ? entries[0].name : "dropped files", walk.files, walk.folders, walk.ignored, ignoreEntry !== undefined) };
}

async function collect(
  entries: FileSystemEntry[],
  prefix: string,
  rules: IgnoreRule[],
  walk: { files: { path: string; file: File }[]; folders: string[]; ignored: number },
): Promise<void> {
  for (const entry of entries) {
    const path = prefix + entry.name;
    if (entry.isDirectory) {
      if (canSkipFolder(rules, path)) {
        walk.ignored++;
        continue;
      }
      if (!isIgnored(rules, path)) walk.folders.push(path);
      await collect(await readAll(entry as FileSystemDirectoryEntry), path + "/", rules, walk);
    } else if (isIgnored(rules, path)) {
      walk.ignored++;
    } else {
      walk.files.push({ path, file: await fileOf(entry as FileSystemFileEntry) });
    }
  }
}

/** A folder's entries; readEntries answers in batches until it answers none. */
async function readAll(folder: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = folder.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

function summarize(
  name: string,
  files: { path: string; file: File }[],
  folders: string[],
  ignored: number,
  hasDockerignore: boolean,
): PickedContext {
  return { name, files, folders, ignored, bytes: files.reduce((sum, f) => sum + f.file.size, 0), hasDockerignore };
}
