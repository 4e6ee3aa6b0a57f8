import { signOut, token, type Caller } from "./auth";
import type { Build, BuildPage, StepsPage } from "./types";

/** An error answer of the API: `{"error","message","field"}` with its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Turns any failed response into an ApiError, whether or not its body is the API's JSON. */
export function toApiError(status: number, body: string): ApiError {
  try {
    const json = JSON.parse(body);
    if (json && typeof json.message === "string") {
      return new ApiError(status, String(json.error ?? "error"), json.message, json.field ?? undefined);
    }
  } catch {
    // not JSON: a proxy's page or an empty body
  }
  const text = body.trim().slice(0, 200);
  return new ApiError(status, "http_" + status, text || `the server answered ${status}`);
}

function authHeaders(value: string | null): Record<string, string> {
  return value ? { Authorization: `Bearer ${value}` } : {};
}

/**
 * A 401 means the token is no longer good (revoked, or the farm was set up anew): sign out, so
 * the user is asked for another. A 401 for a token that is not the current one any more (an
 * answer that was on its way while the user signed in again) changes nothing.
 */
function checkSignedIn(error: ApiError, sent: string | null): ApiError {
  if (error.status === 401 && sent !== null && sent === token()) {
    signOut(`Kiln no longer accepts the token you signed in with (${error.message}).`);
  }
  return error;
}

/** Sends one call with the given token; throws the API's error, without signing out. */
async function send<T>(path: string, init: RequestInit, sent: string | null): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      headers: { Accept: "application/json", ...authHeaders(sent), ...(init.headers ?? {}) },
    });
  } catch (cause) {
    throw new ApiError(0, "network", `Kiln cannot be reached (${(cause as Error).message})`);
  }
  const text = await response.text();
  if (!response.ok) throw toApiError(response.status, text);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Calls the API with the token signed in with; a 401 signs out. */
export async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  const sent = token();
  try {
    return await send<T>(path, init, sent);
  } catch (error) {
    throw error instanceof ApiError ? checkSignedIn(error, sent) : error;
  }
}

/**
 * Who a token stands for. With `candidate`, that token is checked (the sign-in form) and a 401 is
 * only returned; without, the token signed in with is, and a 401 signs out.
 */
export function whoami(candidate?: string): Promise<Caller> {
  return candidate === undefined
    ? request<Caller>("/api/v1/whoami")
    : send<Caller>("/api/v1/whoami", {}, candidate.trim());
}

/**
 * Asks the gateway whether the token still holds, after a WebSocket was refused: a browser does
 * not tell why a handshake failed, but a 401 here signs out. Other failures are left to the caller.
 */
export async function checkToken(): Promise<void> {
  try {
    await whoami();
  } catch {
    // a 401 already signed out; anything else is not about the token
  }
}

function postJson<T>(path: string, body: unknown): Promise<T> {
  return request<T>(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

export const api = {
  listBuilds: (status: string, cursor?: string) =>
    request<BuildPage>(
      `/api/v1/builds?limit=100${status ? `&status=${status}` : ""}${cursor ? `&cursor=${cursor}` : ""}`,
    ),
  build: (id: string) => request<Build>(`/api/v1/builds/${encodeURIComponent(id)}`),
  steps: (id: string) => request<StepsPage>(`/api/v1/builds/${encodeURIComponent(id)}/steps`),
  submit: (spec: unknown) => postJson<Build>("/api/v1/builds", spec),
  cancel: (id: string) => postJson<Build>(`/api/v1/builds/${encodeURIComponent(id)}/cancel`, {}),
  retry: (id: string) => postJson<Build>(`/api/v1/builds/${encodeURIComponent(id)}/retry`, {}),
  analyze: (dockerfile: string) =>
    postJson<unknown>("/api/v1/dockerfiles/analyze", { dockerfile, buildArgs: {}, target: null }),
};

/** A WebSocket URL on this origin; the token goes in the query, as browsers cannot set headers. */
export function socketUrl(path: string): string {
  const url = new URL(path, window.location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  const value = token();
  if (value) url.searchParams.set("access_token", value);
  return url.toString();
}

/**
 * The URL of a build's image archive for a plain download link: a link cannot send a header, so
 * the token goes in the query, as for WebSockets, and the browser streams the archive to disk.
 */
export function imageUrl(id: string): string {
  const path = `/api/v1/builds/${encodeURIComponent(id)}/image`;
  const value = token();
  return value ? `${path}?access_token=${encodeURIComponent(value)}` : path;
}

export interface Upload {
  readonly done: Promise<{ digest: string; size: number }>;
  abort(): void;
}

/** Uploads a context with XMLHttpRequest, the browser API that reports upload progress. */
export function uploadContext(tar: Blob, onProgress: (sent: number, total: number) => void): Upload {
  const xhr = new XMLHttpRequest();
  const sent = token();
  const done = new Promise<{ digest: string; size: number }>((resolve, reject) => {
    xhr.open("POST", "/api/v1/contexts");
    xhr.setRequestHeader("Content-Type", "application/x-tar");
    xhr.setRequestHeader("Accept", "application/json");
    for (const [name, value] of Object.entries(authHeaders(sent))) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : tar.size);
    xhr.onload = () => {
      if (xhr.status === 201 || xhr.status === 200) resolve(JSON.parse(xhr.responseText));
      else reject(checkSignedIn(toApiError(xhr.status, xhr.responseText), sent));
    };
    xhr.onerror = () => reject(new ApiError(0, "network", "the upload was interrupted: the connection to Kiln failed"));
    xhr.onabort = () => reject(new ApiError(0, "aborted", "the upload was stopped"));
    xhr.send(tar);
  });
  return { done, abort: () => xhr.abort() };
}

/** The build form's inputs, by the API field path that names them in an error. */
export type FormField =
  | "source" | "context" | "gitUrl" | "gitRef" | "gitSubdir" | "dockerfileText" | "dockerfilePath"
  | "image" | "push" | "target" | "buildArgs" | "platform" | "pull" | "cpus" | "memory"
  | "timeout" | "form";

const FIELDS: [RegExp, FormField][] = [
  [/^source\.context/, "context"],
  [/^source\.git\.url/, "gitUrl"],
  [/^source\.git\.ref/, "gitRef"],
  [/^source\.git\.subdir/, "gitSubdir"],
  [/^source\.git/, "gitUrl"],
  [/^source\.dockerfile/, "dockerfileText"],
  [/^source/, "source"],
  [/^dockerfile$/, "dockerfilePath"],
  [/^tags/, "image"],
  [/^push$/, "push"],
  [/^target$/, "target"],
  [/^buildArgs/, "buildArgs"],
  [/^options\.platform/, "platform"],
  [/^options\.pull/, "pull"],
  [/^limits\.cpus/, "cpus"],
  [/^limits\.memoryMb/, "memory"],
  [/^limits\.timeoutSeconds/, "timeout"],
];

/** Where the form shows an API error: beside the field it names, or at the top of the form. */
export function formFieldOf(error: ApiError): FormField {
  if (!error.field) return "form";
  return FIELDS.find(([pattern]) => pattern.test(error.field!))?.[1] ?? "form";
}
