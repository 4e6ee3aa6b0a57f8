import { useEffect, useState } from "react";
import { onAuthChange, signOut, signOutReason, token } from "./lib/auth";
import { Link, navigate, usePath } from "./router";
import { BuildPage } from "./pages/BuildPage";
import { BuildsPage } from "./pages/BuildsPage";
import { NewBuildPage } from "./pages/NewBuildPage";
import { SignInPage } from "./pages/SignInPage";

function useSignedIn(): boolean {
  const [signedIn, setSignedIn] = useState(token() !== null);
  useEffect(
    () =>
      onAuthChange(() => {
        setSignedIn(token() !== null);
        // The API refused the token: ask for another, then come back here.
        if (signOutReason() !== null && window.location.pathname !== "/sign-in") {
          sessionStorage.setItem("kiln.return", window.location.pathname + window.location.search);
          navigate("/sign-in");
        }
      }),
    [],
  );
  return signedIn;
}

function Page({ path }: { path: string }) {
  const build = /^\/builds\/([^/]+)$/.exec(path);
  if (path === "/builds/new") return <NewBuildPage />;
  if (build) return <BuildPage key={build[1]} id={decodeURIComponent(build[1])} />;
  if (path === "/sign-in") return <SignInPage />;
  if (path === "/" || path === "/builds") return <BuildsPage />;
  return (
    <main className="mx-auto max-w-3xl p-6">
      <h1 className="text-xl font-semibold">Nothing here</h1>
      <p className="mt-2">
        No page at <code>{path}</code>. <Link to="/" className="text-orange-700 underline">See the builds</Link>.
      </p>
    </main>
  );
}

export function App() {
  const path = usePath();
  const signedIn = useSignedIn();
  useEffect(() => {
    const title = path.startsWith("/builds/new") ? "New build" : path.startsWith("/builds/") ? "Build" : "Builds";
    document.title = `${title} · Kiln`;
  }, [path]);
  return (
    <div className="min-h-screen">
      <a href="#content" className="sr-only focus:not-sr-only focus:absolute focus:p-2 focus:bg-white">
        Skip to content
      </a>
      <header className="bg-slate-900 text-white">
        <nav className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3" aria-label="Main">
          <Link to="/" className="text-lg font-bold tracking-tight">
            <span aria-hidden="true" className="mr-1 text-orange-400">▲</span>Kiln
          </Link>
          <Link to="/" className="hover:underline" aria-current={path === "/" ? "page" : undefined}>Builds</Link>
          <Link to="/builds/new" className="hover:underline" aria-current={path === "/builds/new" ? "page" : undefined}>
            New build
          </Link>
          <span className="ml-auto">
            {signedIn ? (
              <button type="button" className="text-sm text-slate-300 hover:text-white" onClick={() => signOut()}>
                Sign out
              </button>
            ) : (
              <Link to="/sign-in" className="text-sm text-slate-300 hover:text-white">Sign in</Link>
            )}
          </span>
        </nav>
      </header>
      <div id="content">
        <Page path={path} />
      </div>
    </div>
  );
}
