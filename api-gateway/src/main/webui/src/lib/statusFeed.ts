import { checkToken, socketUrl } from "./api";

export type FeedMode = "connecting" | "live" | "polling";

const POLL_MS = 3000;
const RECONNECT_MS = 2000;

/**
 * Tells the builds list when to refresh: from the status feed WebSocket
 * `/api/v1/builds/stream` when the gateway has it (each message names the build that changed),
 * or every few seconds when it has not. Returns a function that stops it.
 */
export function watchBuilds(onChange: (buildId: string | null) => void, onMode: (mode: FeedMode) => void): () => void {
  let stopped = false;
  let socket: WebSocket | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const poll = () => {
    onMode("polling");
    const tick = () => {
      if (stopped) return;
      onChange(null);
      timer = setTimeout(tick, POLL_MS);
    };
    timer = setTimeout(tick, POLL_MS);
  };

  const connect = () => {
    onMode("connecting");
    let opened = false;
    socket = new WebSocket(socketUrl("/api/v1/builds/stream"));
    socket.onopen = () => {
      opened = true;
      onMode("live");
      onChange(null); // catch up on what changed while connecting
    };
    socket.onmessage = (event) => {
      try {
        const message = JSON.parse(String(event.data));
        if (message.type === "status" && typeof message.buildId === "string") onChange(message.buildId);
      } catch {
        // not for us
      }
    };
    socket.onclose = () => {
      socket = null;
      if (stopped) return;
      // A feed that never opened is not there, or refused the token (the check signs out if
      // so): poll instead. One that dropped is retried.
      if (opened) timer = setTimeout(connect, RECONNECT_MS);
      else {
        void checkToken();
        poll();
      }
    };
  };

  connect();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    socket?.close();
  };
}
