/**
 * The API token the UI sends with every call, kept in localStorage so it survives reloads. A
 * 401 from the API signs out and leaves a message for the sign-in screen.
 */
const KEY = "kiln.token";

type Listener = () => void;
const listeners = new Set<Listener>();
let signedOutReason: string | null = null;

export function token(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function signIn(value: string): void {
  localStorage.setItem(KEY, value.trim());
  signedOutReason = null;
  notify();
}

export function signOut(reason: string | null = null): void {
  localStorage.removeItem(KEY);
  signedOutReason = reason;
  notify();
}

/** Why the last sign-out happened, when the API caused it. */
export function signOutReason(): string | null {
  return signedOutReason;
}

export function onAuthChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(): void {
  listeners.forEach((listener) => listener());
}
