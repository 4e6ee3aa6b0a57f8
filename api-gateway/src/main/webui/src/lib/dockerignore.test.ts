import { describe, expect, it } from "vitest";
import { canSkipFolder, isIgnored, parseDockerignore } from "./dockerignore";

const ignored = (text: string, path: string) => isIgnored(parseDockerignore(text), path);

describe("dockerignore", () => {
  it("skips comments and blank lines", () => {
    expect(parseDockerignore("# note\n\n  \nnode_modules\n").map((r) => r.pattern)).toEqual([
      "node_modules",
    ]);
  });

  it("a plain name matches that file or folder at the root only", () => {
    expect(ignored("secret.txt", "secret.txt")).toBe(true);
    expect(ignored("secret.txt", "sub/secret.txt")).toBe(false);
  });

  it("a folder rule leaves out everything inside it", () => {
    expect(ignored("node_modules", "node_modules/react/index.js")).toBe(true);
    expect(ignored("/build/", "build/out/app.bin")).toBe(true);
  });

  it("a star does not cross folders, a double star does", () => {
    expect(ignored("*.log", "debug.log")).toBe(true);
    expect(ignored("*.log", "logs/debug.log")).toBe(false);
    expect(ignored("**/*.log", "logs/deep/debug.log")).toBe(true);
    expect(ignored("**/*.log", "debug.log")).toBe(true);
    expect(ignored("*/temp*", "src/temporary.txt")).toBe(true);
    expect(ignored("*/temp*", "src/a/temporary.txt")).toBe(false);
  });

  it("question marks and character classes match one character", () => {
    expect(ignored("temp?", "temp1")).toBe(true);
    expect(ignored("temp?", "temp12")).toBe(false);
    expect(ignored("file[0-9].txt", "file7.txt")).toBe(true);
    expect(ignored("file[!0-9].txt", "file7.txt")).toBe(false);
  });

  it("an exception takes a file back and the last matching rule wins", () => {
    const text = "*.md\n!README.md\nREADME-secret.md";
    expect(ignored(text, "CHANGES.md")).toBe(true);
    expect(ignored(text, "README.md")).toBe(false);
    expect(ignored(text, "README-secret.md")).toBe(true);
    expect(ignored("*.md\n!README*.md\nREADME-secret.md", "README-secret.md")).toBe(true);
  });

  it("a folder may be skipped only when no exception could take something back", () => {
    expect(canSkipFolder(parseDockerignore("build"), "build")).toBe(true);
    expect(canSkipFolder(parseDockerignore("build\n!build/keep.txt"), "build")).toBe(false);
    expect(ignored("build\n!build/keep.txt", "build/keep.txt")).toBe(false);
    expect(canSkipFolder(parseDockerignore("build"), "src")).toBe(false);
  });

  it("leading slashes and dot segments are cleaned like Docker does", () => {
    expect(ignored("./dist/../out", "out/x")).toBe(true);
    expect(ignored("/.git", ".git/HEAD")).toBe(true);
  });

  it("special characters of regular expressions are literal", () => {
    expect(ignored("a+b(1).txt", "a+b(1).txt")).toBe(true);
    expect(ignored("a.txt", "abtxt")).toBe(false);
  });
});
