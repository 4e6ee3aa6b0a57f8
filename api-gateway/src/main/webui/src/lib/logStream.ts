import { checkToken, socketUrl } from "./api";
import type { StreamMessage } from "./logView";

/**
 * Follows a build's live log WebSocket, resuming after the last seq it saw whenever the
 * connection drops, until the server sends `end` (close 1000) or it is stopped.
 */
export function followLog(
  id: string,
  position: () => { attempt: number; after: number },
  onMessages: (messages: StreamMessage[]) => void,
  onTrouble: (problem: string | null) => void,
): () => void {
  let stopped = false;
  let socket: WebSocket | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let failures = 0;

  const connect = () => {
    const { attempt, after } = position();
    const query = attempt > 0 ? `?attempt=${attempt}&after=${after}` : `?after=${after}`;
    socket = new WebSocket(socketUrl(`/api/v1/builds/${encodeURIComponent(id)}/logs/stream${query}`));
    let pending: StreamMessage[] = [];
    let scheduled = false;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      failures = 0;
      onTrouble(null);
    };
    socket.onmessage = (event) => {
      pending.push(JSON.parse(String(event.data)) as StreamMessage);
      // Many messages can arrive at once: hand them over once per frame, not one by one.
      if (!scheduled) {
        scheduled = true;
        requestAnimationFrame(() => {
          scheduled = false;
          const batch = pending;
          pending = [];
          if (!stopped) onMessages(batch);
        });
      }
    };
    socket.onclose = (event) => {
      socket = null;
      if (stopped || event.code === 1000) return;
      if (event.code === 1008) {
        onTrouble(`The log stream refused the request: ${event.reason}`);
        return;
      }
      // A refused handshake may be a token that no longer holds; the check signs out if so.
      if (!opened) void checkToken();
      failures++;
      onTrouble(
        event.code === 4404
          ? "Nothing is known about this build's log yet; waiting for it."
          : `The live log was interrupted${event.reason ? ` (${event.reason})` : ""}; reconnecting…`,
      );
      retry = setTimeout(connect, Math.min(10_000, 500 * 2 ** Math.min(failures, 5)));
    };
  };

  connect();
  return () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    socket?.close(1000);
  };
}
