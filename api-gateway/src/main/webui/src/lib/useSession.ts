import { useSyncExternalStore } from "react";
import { onAuthChange, session, type Session } from "./auth";

/** The current session; the component renders again when someone signs in or out. */
export function useSession(): Session {
  return useSyncExternalStore(onAuthChange, session);
}
