import { useRef, useState, type FormEvent } from "react";
import { ApiError, whoami } from "../lib/api";
import { returnPath, signIn } from "../lib/auth";
import { useSession } from "../lib/useSession";
import { navigate } from "../router";
import { Button, Field, inputClass } from "../components/ui";

export function SignInPage() {
  const { reason } = useSession();
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const candidate = value.trim();
    if (candidate === "") {
      setError("Paste your API token first.");
      input.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const caller = await whoami(candidate);
      signIn(candidate, caller);
      navigate(returnPath(window.location.search), true);
    } catch (e) {
      const problem = e as ApiError;
      setError(problem.status === 401 ? `Kiln does not accept this token: ${problem.message}` : problem.message);
      setBusy(false);
      input.current?.focus();
      input.current?.select();
    }
  };

  return (
    <main className="mx-auto max-w-lg p-4 sm:p-6">
      <h1 className="mb-4 text-2xl font-semibold">Sign in to Kiln</h1>
      {reason && (
        <p role="alert" data-testid="signed-out-reason" className="mb-4 rounded bg-amber-100 p-3 text-sm text-amber-900">
          You were signed out. {reason}
        </p>
      )}
      <form onSubmit={submit} noValidate className="flex flex-col gap-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
        <Field id="token" label="API token" error={error ?? undefined} hint="Kept in this browser only, and sent with every call to Kiln.">
          <input
            ref={input}
            id="token"
            name="token"
            type="password"
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            autoFocus
            className={`${inputClass} font-mono`}
            value={value}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "token-error" : undefined}
            onChange={(e) => setValue(e.target.value)}
          />
        </Field>
        <Button type="submit" variant="primary" disabled={busy}>{busy ? "Checking…" : "Sign in"}</Button>
      </form>
      <section aria-labelledby="token-help" className="mt-6 text-sm text-slate-700">
        <h2 id="token-help" className="mb-2 font-semibold text-slate-900">Where do I get a token?</h2>
        <ul className="list-disc space-y-2 pl-5">
          <li>
            On a farm&apos;s first start, <code className="rounded bg-slate-100 px-1">kiln up</code> prints its first admin
            token, once. It also keeps it in the file it lists as <em>Token</em>, and the <code className="rounded bg-slate-100 px-1">kiln</code> CLI
            on that machine uses it.
          </li>
          <li>
            Anyone else gets one from an admin, who makes it with{" "}
            <code className="whitespace-nowrap rounded bg-slate-100 px-1">kiln token create NAME</code>. Builds you start are
            owned by that name, and you see only your own builds unless the token is an admin&apos;s.
          </li>
        </ul>
      </section>
    </main>
  );
}
