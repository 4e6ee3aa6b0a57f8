import { describe, expect, it } from "vitest";
import { dockerfileCandidates, fromFileList, tarEntries } from "./contextFiles";

/** A File as a folder picker gives it: its path starts with the picked folder's name. */
function picked(path: string, text: string): File {
  const file = new File([text], path.split("/").pop()!);
  Object.defineProperty(file, "webkitRelativePath", { value: path });
  return file;
}

describe("a picked folder", () => {
  const files = [
    picked("app/Dockerfile", "FROM scratch\n"),
    picked("app/.dockerignore", "*.log\nbuild\n!build/keep.txt\n"),
    picked("app/src/main.c", "int main;"),
    picked("app/debug.log", "noise"),
    picked("app/build/out.o", "binary"),
    picked("app/build/keep.txt", "keep"),
    picked("app/docker/Dockerfile.prod", "FROM scratch\n"),
  ];

  it("is relative to the folder and leaves out what .dockerignore names", async () => {
    const context = await fromFileList(files);
    expect(context.name).toBe("app");
    expect(context.files.map((f) => f.path).sort()).toEqual(
      [".dockerignore", "Dockerfile", "build/keep.txt", "docker/Dockerfile.prod", "src/main.c"].sort(),
    );
    expect(context.ignored).toBe(2);
    expect(context.hasDockerignore).toBe(true);
    expect(context.folders).toEqual(["build", "docker", "src"]);
  });

  it("offers its Dockerfiles, the one at the root first", async () => {
    expect(dockerfileCandidates(await fromFileList(files))).toEqual(["Dockerfile", "docker/Dockerfile.prod"]);
  });

  it("becomes tar entries: folders first, then the files themselves", async () => {
    const entries = tarEntries(await fromFileList(files));
    expect(entries.slice(0, 3).map((e) => [e.path, e.data])).toEqual([
      ["build", undefined],
      ["docker", undefined],
      ["src", undefined],
    ]);
    expect(entries.find((e) => e.path === "src/main.c")?.data).toBe(files[2]);
  });
});
