import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, ApiError, formFieldOf, imageUrl, socketUrl, toApiError, uploadContext, whoami } from "./api";
import { session, signIn, signOut, token } from "./auth";
import { answerFetch, browserAt, FakeXhr } from "./fakeBrowser";

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

describe("the token on every call", () => {
  const refused = { error: "unauthorized", message: "the API token is not valid: it is unknown or was revoked" };

  beforeEach(() => {
    browserAt("http://kiln.test:8080/builds/new");
    signOut();
  });
  afterEach(() => vi.unstubAllGlobals());

  it("goes as a Bearer header on fetch calls", async () => {
    signIn("kiln_secret", null);
    const sent = answerFetch(200, { builds: [] });
    await api.listBuilds("");
    expect(sent[0].headers.Authorization).toBe("Bearer kiln_secret");
    expect(sent[0].headers.Accept).toBe("application/json");
  });

  it("is left out when nobody is signed in", async () => {
    const sent = answerFetch(200, { builds: [] });
    await api.listBuilds("");
    expect(sent[0].headers).not.toHaveProperty("Authorization");
  });

  it("signs out on a 401, keeping the API's message for the sign-in screen", async () => {
    signIn("kiln_secret", { name: "alice", role: "user" });
    answerFetch(401, refused);
    await expect(api.build("019a")).rejects.toMatchObject({ status: 401, code: "unauthorized" });
    expect(token()).toBeNull();
    expect(session().caller).toBeNull();
    expect(session().reason).toContain("the API token is not valid: it is unknown or was revoked");
  });

  it("does not sign out for errors other than 401", async () => {
    signIn("kiln_secret", null);
    answerFetch(404, { error: "not_found", message: "no build with id '019a'" });
    await expect(api.build("019a")).rejects.toMatchObject({ status: 404 });
    answerFetch(403, { error: "forbidden", message: "admins only" });
    await expect(api.build("019a")).rejects.toMatchObject({ status: 403 });
    expect(token()).toBe("kiln_secret");
  });

  it("keeps a newer token when a 401 for an older one arrives late", async () => {
    signIn("old", null);
    let answer: (response: Response) => void = () => {};
    vi.stubGlobal("fetch", () => new Promise<Response>((resolve) => (answer = resolve)));
    const call = api.build("019a");
    signIn("new", null);
    answer(new Response(JSON.stringify(refused), { status: 401 }));
    await expect(call).rejects.toMatchObject({ status: 401 });
    expect(token()).toBe("new");
  });

  it("checks a token typed into the sign-in form without keeping it or signing out", async () => {
    signIn("current", null);
    const sent = answerFetch(401, refused);
    await expect(whoami("  typed  ")).rejects.toMatchObject({ status: 401, message: refused.message });
    expect(sent[0]).toMatchObject({ path: "/api/v1/whoami", headers: { Authorization: "Bearer typed" } });
    expect(token()).toBe("current");
    expect(session().reason).toBeNull();
  });

  it("tells who a good token stands for", async () => {
    answerFetch(200, { name: "alice", role: "user" });
    await expect(whoami("kiln_secret")).resolves.toEqual({ name: "alice", role: "user" });
  });

  it("goes as access_token on WebSocket URLs, which cannot carry headers", () => {
    signIn("kiln secret/+", null);
    const url = new URL(socketUrl("/api/v1/builds/019a/logs/stream?after=5"));
    expect(url.protocol).toBe("ws:");
    expect(url.host).toBe("kiln.test:8080");
    expect(url.searchParams.get("after")).toBe("5");
    expect(url.searchParams.get("access_token")).toBe("kiln secret/+");
    expect(new URL(socketUrl("/api/v1/builds/stream")).searchParams.get("access_token")).toBe("kiln secret/+");
  });

  it("uses wss: on an https page", () => {
    browserAt("https://kiln.example/");
    signIn("t", null);
    expect(socketUrl("/api/v1/builds/stream")).toBe("wss://kiln.example/api/v1/builds/stream?access_token=t");
  });

  it("is not in WebSocket URLs when nobody is signed in", () => {
    expect(socketUrl("/api/v1/builds/stream")).toBe("ws://kiln.test:8080/api/v1/builds/stream");
  });

  it("goes in the image download link", () => {
    signIn("a&b", null);
    expect(imageUrl("019a")).toBe("/api/v1/builds/019a/image?access_token=a%26b");
  });

  it("goes as a Bearer header on the context upload, and its 401 signs out", async () => {
    vi.stubGlobal("XMLHttpRequest", FakeXhr);
    signIn("kiln_secret", null);
    const upload = uploadContext(new Blob(["tar"]), () => {});
    const xhr = FakeXhr.last!;
    expect(xhr.method).toBe("POST");
    expect(xhr.url).toBe("/api/v1/contexts");
    expect(xhr.headers.Authorization).toBe("Bearer kiln_secret");
    xhr.answer(401, refused);
    await expect(upload.done).rejects.toMatchObject({ status: 401 });
    expect(token()).toBeNull();
    expect(session().reason).toContain(refused.message);
  });

  it("lets an accepted upload through", async () => {
    vi.stubGlobal("XMLHttpRequest", FakeXhr);
    signIn("kiln_secret", null);
    const upload = uploadContext(new Blob(["tar"]), () => {});
    FakeXhr.last!.answer(201, { digest: "sha256:ab", size: 3 });
    await expect(upload.done).resolves.toEqual({ digest: "sha256:ab", size: 3 });
    expect(token()).toBe("kiln_secret");
  });
});
