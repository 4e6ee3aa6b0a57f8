/**
 * Writes a tar archive (POSIX ustar, with pax headers for long or non-ASCII names and sizes
 * past 8 GiB) as a Blob assembled from parts: each file's contents are the File itself, not a
 * copy, so a folder of gigabytes costs only its headers in memory, and the work yields to the
 * page between batches so it never freezes.
 */
export interface TarEntry {
  /** Path inside the archive, slash-separated, no leading slash. */
  readonly path: string;
  /** The contents of a file; absent for a folder. */
  readonly data?: Blob;
  readonly mtimeMs?: number;
  readonly mode?: number;
}

export interface TarProgress {
  readonly entries: number;
  readonly total: number;
}

const BLOCK = 512;
/** The largest size ustar's 11 octal digits hold (8 GiB - 1); larger ones go in a pax header. */
const MAX_USTAR_SIZE = 0o77777777777;
const encoder = new TextEncoder();
/** Files, as browsers do not tell a file's mode: like Docker from Windows, everything executable. */
export const FILE_MODE = 0o755;
const FOLDER_MODE = 0o755;

export async function buildTar(
  entries: readonly TarEntry[],
  onProgress?: (progress: TarProgress) => void,
  batch = 500,
): Promise<Blob> {
  const parts: BlobPart[] = [];
  for (let i = 0; i < entries.length; i++) {
    appendEntry(parts, entries[i]);
    if ((i + 1) % batch === 0) {
      onProgress?.({ entries: i + 1, total: entries.length });
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
  parts.push(new Uint8Array(BLOCK * 2));
  onProgress?.({ entries: entries.length, total: entries.length });
  return new Blob(parts, { type: "application/x-tar" });
}

function appendEntry(parts: BlobPart[], entry: TarEntry): void {
  const folder = entry.data === undefined;
  const name = folder ? entry.path.replace(/\/*$/, "/") : entry.path;
  const size = folder ? 0 : entry.data!.size;
  const mtime = Math.floor((entry.mtimeMs ?? Date.now()) / 1000);
  const mode = entry.mode ?? (folder ? FOLDER_MODE : FILE_MODE);
  const split = splitName(name);
  const pax: string[] = [];
  if (split === null) pax.push(paxRecord("path", name));
  if (size > MAX_USTAR_SIZE) pax.push(paxRecord("size", String(size)));
  if (pax.length > 0) {
    const body = encoder.encode(pax.join(""));
    parts.push(
      header({ name: "PaxHeader", size: body.length, mtime, mode: 0o644, type: "x" }),
      body as BlobPart,
      padding(body.length),
    );
  }
  const plain = split ?? { name: asciiTail(name), prefix: "" };
  const type = folder ? "5" : "0";
  parts.push(header({ ...plain, size: size > MAX_USTAR_SIZE ? 0 : size, mtime, mode, type }));
  if (!folder) {
    parts.push(entry.data!, padding(size));
  }
}

function padding(size: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array((BLOCK - (size % BLOCK)) % BLOCK);
}

/** A name that fits ustar's name (100) and prefix (155) fields in ASCII, or null. */
function splitName(name: string): { name: string; prefix: string } | null {
  if (!/^[\x20-\x7e]*$/.test(name)) return null;
  if (name.length <= 100) return { name, prefix: "" };
  for (let cut = name.indexOf("/"); cut >= 0; cut = name.indexOf("/", cut + 1)) {
    const prefix = name.slice(0, cut);
    const rest = name.slice(cut + 1);
    if (prefix.length <= 155 && rest.length <= 100 && rest.length > 0) return { name: rest, prefix };
  }
  return null;
}

/** A readable stand-in for readers without pax support; the pax path is what counts. */
function asciiTail(name: string): string {
  return name.replace(/[^\x20-\x7e]/g, "_").slice(-100);
}

function paxRecord(key: string, value: string): string {
  const text = ` ${key}=${value}\n`;
  const bytes = encoder.encode(text).length;
  let length = bytes + String(bytes).length;
  if (String(length).length !== String(bytes).length) length = bytes + String(length).length;
  return `${length}${text}`;
}

interface Header {
  name: string;
  prefix?: string;
  size: number;
  mtime: number;
  mode: number;
  type: "0" | "5" | "x";
}

function header(h: Header): Uint8Array<ArrayBuffer> {
  const block = new Uint8Array(BLOCK);
  writeText(block, 0, 100, h.name);
  writeOctal(block, 100, 8, h.mode);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, h.size);
  writeOctal(block, 136, 12, h.mtime);
  block.fill(0x20, 148, 156);
  block[156] = h.type.charCodeAt(0);
  writeText(block, 257, 6, "ustar");
  writeText(block, 263, 2, "00");
  writeText(block, 345, 155, h.prefix ?? "");
  let sum = 0;
  for (const byte of block) sum += byte;
  writeText(block, 148, 8, sum.toString(8).padStart(6, "0") + "\0 ");
  return block;
}

function writeText(block: Uint8Array, offset: number, length: number, text: string): void {
  block.set(encoder.encode(text).subarray(0, length), offset);
}

function writeOctal(block: Uint8Array, offset: number, length: number, value: number): void {
  writeText(block, offset, length, value.toString(8).padStart(length - 1, "0"));
}
