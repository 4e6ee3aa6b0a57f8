import { describe, expect, it } from "vitest";
import { ApiError, formFieldOf, toApiError } from "./api";

describe("API errors", () => {
  it("keeps the API's code, message and field", () => {
    const error = toApiError(400, '{"error":"invalid_field","message":"tags[0] is not a reference","field":"tags[0]"}');
    expect(error).toMatchObject({ status: 400, code: "invalid_field", message: "tags[0] is not a reference", field: "tags[0]" });
  });

  it("says something useful for bodies that are not the API's JSON", () => {
    expect(toApiError(502, "<html>Bad Gateway</html>").message).toBe("<html>Bad Gateway</html>");
    expect(toApiError(503, "").message).toBe("the server answered 503");
  });

  it("places each error beside the field it names", () => {
    const at = (field?: string) => formFieldOf(new ApiError(400, "invalid_field", "m", field));
    expect(at("tags[1]")).toBe("image");
    expect(at("source.context")).toBe("context");
    expect(at("source.git.url")).toBe("gitUrl");
    expect(at("source.git.ref")).toBe("gitRef");
    expect(at("source.dockerfile")).toBe("dockerfileText");
    expect(at("source")).toBe("source");
    expect(at("dockerfile")).toBe("dockerfilePath");
    expect(at("options.platform")).toBe("platform");
    expect(at("limits.cpus")).toBe("cpus");
    expect(at("limits.memoryMb")).toBe("memory");
    expect(at("limits.timeoutSeconds")).toBe("timeout");
    expect(at("buildArgs.FOO")).toBe("buildArgs");
    expect(at("labels")).toBe("form");
    expect(at(undefined)).toBe("form");
  });
});
