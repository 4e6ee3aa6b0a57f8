/**
 * The API token the UI sends with every call, kept in localStorage so it survives reloads and is
 * shared by the tabs of one browser. Who the token stands for (`GET /api/v1/whoami`) is kept in
 * memory only and asked again on every start. A 401 from the API signs out and leaves a message
 * for the sign-in screen.
 */
export const TOKEN_KEY = "kiln.token";

/** Who the token stands for, as `GET /api/v1/whoami` answers. */
export interface Caller {
  name: string;
  role: string;
}

/** Everything the UI shows about signing in; a new object after every change. */
export interface Session {
  token: string | null;
  /** Unknown until the gateway has answered who the token is. */
  caller: Caller | null;
  /** Why the last sign-out happened, when the API caused it. */
  reason: string | null;
}

type Listener = () => void;
const listeners = new Set<Listener>();
let caller: Caller | null = null;
let reason: string | null = null;
let snapshot: Session | null = null;

export function token(): string | null {
  try {
    const value = localStorage.getItem(TOKEN_KEY);
    return value === null || value === "" ? null : value;
  } catch {
    // Storage refused (a locked-down browser): nobody is signed in.
    return null;
  }
}

/** Keeps a token the gateway accepted, with who it stands for. */
export function signIn(value: string, who: Caller | null): void {
  localStorage.setItem(TOKEN_KEY, value.trim());
  caller = who;
  reason = null;
  notify();
}

/** Forgets the token; `why` is shown on the sign-in screen (none when the user signed out). */
export function signOut(why: string | null = null): void {
  try {
    localStorage.removeItem(TOKEN_KEY);
  } catch {
    // nothing was kept
  }
  caller = null;
  reason = why;
  notify();
}

/** Records who the current token stands for, once the gateway said so. */
export function setCaller(who: Caller): void {
  caller = who;
  notify();
}

export function session(): Session {
  snapshot ??= { token: token(), caller: token() === null ? null : caller, reason };
  return snapshot;
}

/**
 * Where the sign-in screen goes once signed in: the page that sent the user there (`?next=`),
 * when it is a page of this UI, else the builds.
 */
export function returnPath(search: string): string {
  const next = new URLSearchParams(search).get("next");
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\") || next.startsWith("/sign-in")) return "/";
  return next;
}

export function isAdmin(who: Caller | null): boolean {
  return who?.role === "admin";
}

export function onAuthChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(): void {
  snapshot = null;
  listeners.forEach((listener) => listener());
}

// Signing in or out in another tab changes this one too.
if (typeof window !== "undefined") {
  window.addEventListener("storage", (event) => {
    if (event.key !== TOKEN_KEY && event.key !== null) return;
    caller = null;
    reason = null;
    notify();
  });
}
