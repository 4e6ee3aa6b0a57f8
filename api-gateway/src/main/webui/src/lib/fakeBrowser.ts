/** Stand-ins for the browser APIs the token handling uses, for tests that run in Node. */
import { vi } from "vitest";

export function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, String(value)),
  };
}

/** A page at `href`, with an empty localStorage. */
export function browserAt(href: string): void {
  vi.stubGlobal("localStorage", memoryStorage());
  vi.stubGlobal("window", { location: new URL(href) });
}

/** What a fake fetch was asked: the path and the headers sent. */
export interface Sent {
  path: string;
  headers: Record<string, string>;
}

/** Answers every fetch with `status` and `body`, recording what was sent. */
export function answerFetch(status: number, body: unknown): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal("fetch", async (path: string, init: RequestInit = {}) => {
    sent.push({ path, headers: { ...(init.headers as Record<string, string>) } });
    return new Response(typeof body === "string" ? body : JSON.stringify(body), { status });
  });
  return sent;
}

/** The last XMLHttpRequest made, to look at and to answer. */
export class FakeXhr {
  static last: FakeXhr | null = null;
  readonly headers: Record<string, string> = {};
  readonly upload: { onprogress: ((event: ProgressEvent) => void) | null } = { onprogress: null };
  method = "";
  url = "";
  status = 0;
  responseText = "";
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;

  constructor() {
    FakeXhr.last = this;
  }

  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
  }

  setRequestHeader(name: string, value: string): void {
    this.headers[name] = value;
  }

  send(): void {}

  abort(): void {
    this.onabort?.();
  }

  answer(status: number, body: unknown): void {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

/** The WebSockets opened, to look at and to close. */
export class FakeSocket {
  static opened: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.opened.push(this);
  }

  close(): void {}

  /** What a browser reports when the server refused the handshake, whatever its status. */
  refuseHandshake(): void {
    this.onclose?.({ code: 1006, reason: "" });
  }
}
