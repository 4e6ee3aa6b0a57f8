import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { session, signIn, signOut, token } from "./auth";
import { answerFetch, browserAt, FakeSocket } from "./fakeBrowser";
import { followLog } from "./logStream";
import { watchBuilds } from "./statusFeed";

const refused = { error: "unauthorized", message: "the API token is not valid: it is unknown or was revoked" };

/** Lets the token check's fetch and its answer run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("WebSockets and the token", () => {
  beforeEach(() => {
    browserAt("http://kiln.test/builds/019a");
    vi.stubGlobal("WebSocket", FakeSocket);
    FakeSocket.opened = [];
    signOut();
    signIn("kiln_secret", null);
  });
  afterEach(() => vi.unstubAllGlobals());

  it("the log stream sends the token and resumes after the last seq", () => {
    const stop = followLog("019a", () => ({ attempt: 2, after: 41 }), () => {}, () => {});
    const url = new URL(FakeSocket.opened[0].url);
    expect(url.pathname).toBe("/api/v1/builds/019a/logs/stream");
    expect(url.searchParams.get("after")).toBe("41");
    expect(url.searchParams.get("access_token")).toBe("kiln_secret");
    stop();
  });

  it("a log stream refused at the handshake checks the token, and a 401 signs out", async () => {
    const sent = answerFetch(401, refused);
    const stop = followLog("019a", () => ({ attempt: 0, after: 0 }), () => {}, () => {});
    FakeSocket.opened[0].refuseHandshake();
    await settle();
    expect(sent.map((s) => s.path)).toEqual(["/api/v1/whoami"]);
    expect(token()).toBeNull();
    expect(session().reason).toContain(refused.message);
    stop();
  });

  it("a log stream that drops after opening reconnects without asking about the token", async () => {
    const sent = answerFetch(200, { name: "alice", role: "user" });
    const stop = followLog("019a", () => ({ attempt: 0, after: 0 }), () => {}, () => {});
    const socket = FakeSocket.opened[0];
    socket.onopen?.();
    socket.onclose?.({ code: 1011, reason: "log-service unavailable" });
    await settle();
    expect(sent).toEqual([]);
    expect(token()).toBe("kiln_secret");
    stop();
  });

  it("the status feed sends the token; refused, it checks the token and a 401 signs out", async () => {
    const sent = answerFetch(401, refused);
    const stop = watchBuilds(() => {}, () => {});
    expect(new URL(FakeSocket.opened[0].url).searchParams.get("access_token")).toBe("kiln_secret");
    FakeSocket.opened[0].refuseHandshake();
    await settle();
    expect(sent.map((s) => s.path)).toEqual(["/api/v1/whoami"]);
    expect(token()).toBeNull();
    stop();
  });
});
