import { useEffect } from "react";
import { whoami } from "./lib/api";
import { setCaller, signOut, token } from "./lib/auth";
import { useSession } from "./lib/useSession";
import { Link, navigate, usePath } from "./router";
import { BuildPage } from "./pages/BuildPage";
import { BuildsPage } from "./pages/BuildsPage";
import { NewBuildPage } from "./pages/NewBuildPage";
import { SignInPage } from "./pages/SignInPage";

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

function title(path: string): string {
  if (path === "/sign-in") return "Sign in";
  if (path.startsWith("/builds/new")) return "New build";
  return path.startsWith("/builds/") ? "Build" : "Builds";
}

export function App() {
  const path = usePath();
  const { token: signedInWith, caller } = useSession();
  const signedIn = signedInWith !== null;

  // Signed out (or never signed in): every page but the sign-in screen asks for a token first,
  // and comes back once it has one.
  useEffect(() => {
    if (!signedIn && path !== "/sign-in") {
      const here = window.location.pathname + window.location.search + window.location.hash;
      navigate(`/sign-in${here === "/" ? "" : `?next=${encodeURIComponent(here)}`}`, true);
    }
  }, [signedIn, path]);

  // Who the token stands for, for the header and the owner filter; a 401 here signs out.
  useEffect(() => {
    if (signedInWith === null || caller !== null) return;
    let current = true;
    whoami()
      .then((who) => {
        if (current && token() === signedInWith) setCaller(who);
      })
      .catch(() => {
        // a 401 signed out already; the pages show any other failure themselves
      });
    return () => {
      current = false;
    };
  }, [signedInWith, caller]);

  useEffect(() => {
    document.title = `${title(signedIn ? path : "/sign-in")} · Kiln`;
  }, [path, signedIn]);

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
          {signedIn && (
            <>
              <Link to="/" className="hover:underline" aria-current={path === "/" ? "page" : undefined}>Builds</Link>
              <Link to="/builds/new" className="hover:underline" aria-current={path === "/builds/new" ? "page" : undefined}>
                New build
              </Link>
              <span className="ml-auto flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
                <span className="text-slate-300" data-testid="signed-in-as">
                  {caller ? (
                    <>
                      <span className="sr-only">Signed in as </span>
                      <span className="font-medium text-white">{caller.name}</span>{" "}
                      <span className="rounded bg-slate-700 px-1.5 py-0.5 text-xs uppercase tracking-wide">{caller.role}</span>
                    </>
                  ) : (
                    "Signed in"
                  )}
                </span>
                <button
                  type="button"
                  className="rounded px-2 py-1 text-slate-200 ring-1 ring-slate-600 hover:bg-slate-800 hover:text-white"
                  onClick={() => signOut()}
                >
                  Sign out
                </button>
              </span>
            </>
          )}
        </nav>
      </header>
      <div id="content">
        {signedIn ? <Page path={path} /> : <SignInPage />}
      </div>
    </div>
  );
}
