import { useState, type FormEvent } from "react";
import { signIn, signOutReason } from "../lib/auth";
import { navigate } from "../router";
import { Button, Field, inputClass } from "../components/ui";

export function SignInPage() {
  const [value, setValue] = useState("");
  const reason = signOutReason();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (value.trim() === "") return;
    signIn(value);
    const back = sessionStorage.getItem("kiln.return") ?? "/";
    sessionStorage.removeItem("kiln.return");
    navigate(back);
  };
  return (
    <main className="mx-auto max-w-md p-6">
      <h1 className="mb-4 text-2xl font-semibold">Sign in to Kiln</h1>
      {reason && (
        <p role="alert" className="mb-4 rounded bg-amber-100 p-3 text-sm text-amber-900">
          You were signed out: {reason}
        </p>
      )}
      <form onSubmit={submit} className="flex flex-col gap-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
        <Field id="token" label="API token" hint="Kept in this browser only, and sent with every call to Kiln.">
          <input id="token" type="password" autoComplete="off" className={inputClass} value={value} onChange={(e) => setValue(e.target.value)} />
        </Field>
        <Button type="submit" variant="primary" disabled={value.trim() === ""}>Sign in</Button>
      </form>
    </main>
  );
}
