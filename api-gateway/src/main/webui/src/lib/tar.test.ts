import { describe, expect, it } from "vitest";
import { buildTar } from "./tar";

interface Read {
  name: string;
  type: string;
  mode: number;
  size: number;
  text: string;
}

/** A small tar reader (ustar + pax path), checking every header's checksum. */
async function readTar(blob: Blob): Promise<Read[]> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const decoder = new TextDecoder();
  const field = (at: number, len: number) =>
    decoder.decode(bytes.subarray(at, at + len)).replace(/\0.*$/s, "");
  const out: Read[] = [];
  let paxPath: string | null = null;
  for (let at = 0; at + 512 <= bytes.length; ) {
    if (bytes.subarray(at, at + 512).every((b) => b === 0)) break;
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : bytes[at + i];
    expect(parseInt(field(at + 148, 8).trim(), 8)).toBe(sum);
    const size = parseInt(field(at + 124, 12), 8);
    const type = field(at + 156, 1);
    const prefix = field(at + 345, 155);
    const name = (prefix ? prefix + "/" : "") + field(at, 100);
    const body = decoder.decode(bytes.subarray(at + 512, at + 512 + size));
    if (type === "x") {
      paxPath = /\d+ path=(.*)\n/.exec(body)?.[1] ?? null;
    } else {
      out.push({ name: paxPath ?? name, type, mode: parseInt(field(at + 100, 8), 8), size, text: body });
      paxPath = null;
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

describe("tar writer", () => {
  it("writes files and folders a tar reader gets back byte for byte", async () => {
    const tar = await buildTar([
      { path: "src" },
      { path: "src/main.c", data: new Blob(["int main() { return 0; }\n"]) },
      { path: "Dockerfile", data: new Blob(["FROM scratch\n"]) },
      { path: "empty", data: new Blob([]) },
    ]);
    expect(tar.size % 512).toBe(0);
    expect(await readTar(tar)).toEqual([
      { name: "src/", type: "5", mode: 0o755, size: 0, text: "" },
      { name: "src/main.c", type: "0", mode: 0o755, size: 25, text: "int main() { return 0; }\n" },
      { name: "Dockerfile", type: "0", mode: 0o755, size: 13, text: "FROM scratch\n" },
      { name: "empty", type: "0", mode: 0o755, size: 0, text: "" },
    ]);
  });

  it("ends with two zero blocks", async () => {
    const tar = new Uint8Array(await (await buildTar([{ path: "a", data: new Blob(["x"]) }])).arrayBuffer());
    expect(tar.length).toBe(512 * 4);
    expect(tar.subarray(1024).every((b) => b === 0)).toBe(true);
  });

  it("splits a long name into prefix and name when it can", async () => {
    const path = "a".repeat(120) + "/" + "b".repeat(90);
    const [entry] = await readTar(await buildTar([{ path, data: new Blob(["1"]) }]));
    expect(entry.name).toBe(path);
  });

  it("uses a pax header for names that do not fit or are not ASCII", async () => {
    const long = "c".repeat(230);
    const accented = "données/naïve ✓.txt";
    const entries = await readTar(
      await buildTar([
        { path: long, data: new Blob(["long"]) },
        { path: accented, data: new Blob(["utf8"]) },
      ]),
    );
    expect(entries.map((e) => [e.name, e.text])).toEqual([
      [long, "long"],
      [accented, "utf8"],
    ]);
  });

  it("reports progress in batches and at the end", async () => {
    const seen: number[] = [];
    const files = Array.from({ length: 5 }, (_, i) => ({ path: `f${i}`, data: new Blob([String(i)]) }));
    await buildTar(files, (p) => seen.push(p.entries), 2);
    expect(seen).toEqual([2, 4, 5]);
  });
});
