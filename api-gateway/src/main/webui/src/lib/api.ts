import { signOut, token } from "./auth";
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

function authHeaders(): Record<string, string> {
  const value = token();
  return value ? { Authorization: `Bearer ${value}` } : {};
}

function checkSignedIn(error: ApiError): ApiError {
  if (error.status === 401) signOut(error.message || "Your token was refused; sign in again.");
  return error;
}

export async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      headers: { Accept: "application/json", ...authHeaders(), ...(init.headers ?? {}) },
    });
  } catch (cause) {
    throw new ApiError(0, "network", `Kiln cannot be reached (${(cause as Error).message})`);
  }
  const text = await response.text();
  if (!response.ok) throw checkSignedIn(toApiError(response.status, text));
  return (text ? JSON.parse(text) : undefined) as T;
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

export interface Upload {
  readonly done: Promise<{ digest: string; size: number }>;
  abort(): void;
}

/** Uploads a context with XMLHttpRequest, the browser API that reports upload progress. */
export function uploadContext(tar: Blob, onProgress: (sent: number, total: number) => void): Upload {
  const xhr = new XMLHttpRequest();
  const done = new Promise<{ digest: string; size: number }>((resolve, reject) => {
    xhr.open("POST", "/api/v1/contexts");
    xhr.setRequestHeader("Content-Type", "application/x-tar");
    xhr.setRequestHeader("Accept", "application/json");
    for (const [name, value] of Object.entries(authHeaders())) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : tar.size);
    xhr.onload = () => {
      if (xhr.status === 201 || xhr.status === 200) resolve(JSON.parse(xhr.responseText));
      else reject(checkSignedIn(toApiError(xhr.status, xhr.responseText)));
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
