import { describe, expect, it } from "vitest";
import { imageReference } from "./describe";

describe("image reference", () => {
  it("joins name and tag, with latest for an empty tag", () => {
    expect(imageReference("localhost:5000/team/app", "1.0")).toBe("localhost:5000/team/app:1.0");
    expect(imageReference(" app ", " ")).toBe("app:latest");
  });

  it("keeps a name that already has a tag or digest, and a registry port is no tag", () => {
    expect(imageReference("localhost:5000/app:2", "1.0")).toBe("localhost:5000/app:2");
    expect(imageReference("app@sha256:abc", "1.0")).toBe("app@sha256:abc");
  });

  it("is nothing without a name", () => {
    expect(imageReference("  ", "1.0")).toBeNull();
  });
});
