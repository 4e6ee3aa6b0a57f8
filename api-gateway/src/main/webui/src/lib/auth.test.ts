import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { onAuthChange, returnPath, session, setCaller, signIn, signOut, token, TOKEN_KEY } from "./auth";
import { memoryStorage } from "./fakeBrowser";

describe("the token kept in the browser", () => {
  beforeEach(() => {
    vi.stubGlobal("localStorage", memoryStorage());
    signOut();
  });
  afterEach(() => vi.unstubAllGlobals());

  it("is kept in localStorage, trimmed, so it survives a reload", () => {
    signIn("  kiln_secret\n", { name: "alice", role: "user" });
    expect(localStorage.getItem(TOKEN_KEY)).toBe("kiln_secret");
    expect(token()).toBe("kiln_secret");
    expect(session()).toEqual({ token: "kiln_secret", caller: { name: "alice", role: "user" }, reason: null });
  });

  it("is read from what an earlier visit left", () => {
    localStorage.setItem(TOKEN_KEY, "left-before");
    expect(token()).toBe("left-before");
  });

  it("is forgotten on sign-out, with the reason for the sign-in screen", () => {
    signIn("kiln_secret", { name: "alice", role: "user" });
    signOut("Kiln refused the token you signed in with: revoked");
    expect(localStorage.getItem(TOKEN_KEY)).toBeNull();
    expect(session()).toEqual({ token: null, caller: null, reason: "Kiln refused the token you signed in with: revoked" });
  });

  it("leaves no reason when the user signed out, and none after signing in again", () => {
    signOut("refused");
    signIn("another", null);
    expect(session().reason).toBeNull();
    signOut();
    expect(session().reason).toBeNull();
  });

  it("tells listeners of every change, with a new session each time", () => {
    const seen: unknown[] = [];
    const stop = onAuthChange(() => seen.push(session()));
    signIn("kiln_secret", null);
    setCaller({ name: "bob", role: "admin" });
    signOut();
    stop();
    signIn("unheard", null);
    expect(seen).toEqual([
      { token: "kiln_secret", caller: null, reason: null },
      { token: "kiln_secret", caller: { name: "bob", role: "admin" }, reason: null },
      { token: null, caller: null, reason: null },
    ]);
  });

  it("keeps the same session object while nothing changes", () => {
    signIn("kiln_secret", null);
    expect(session()).toBe(session());
  });

  it("counts as signed out when the browser refuses storage", () => {
    vi.stubGlobal("localStorage", {
      getItem: () => {
        throw new Error("SecurityError");
      },
    });
    expect(token()).toBeNull();
  });
});

describe("after signing in", () => {
  it("goes back to the page that asked for a token", () => {
    expect(returnPath("?next=%2Fbuilds%2F019a%23L12")).toBe("/builds/019a#L12");
    expect(returnPath("?next=%2F%3Fstatus%3DFAILED")).toBe("/?status=FAILED");
  });

  it("goes to the builds otherwise, never to another site or back to sign-in", () => {
    expect(returnPath("")).toBe("/");
    expect(returnPath("?next=https%3A%2F%2Fevil.example%2F")).toBe("/");
    expect(returnPath("?next=%2F%2Fevil.example%2F")).toBe("/");
    expect(returnPath("?next=%2F%5Cevil.example%2F")).toBe("/");
    expect(returnPath("?next=%2Fsign-in")).toBe("/");
  });
});
