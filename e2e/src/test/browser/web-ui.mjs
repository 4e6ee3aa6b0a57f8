// Drives Kiln's web UI in Debian's chromium, as a person would, against a running farm.
// Usage: node web-ui.mjs <scenario>   (scenarios below; settings from the environment)
//   KILN_URL          the farm's gateway, e.g. http://127.0.0.1:45000
//   KILN_TOKEN        an admin's API token (the farm's first, from `kiln up`)
//   KILN_SCREENSHOTS  folder for the screenshots of every page seen
//   KILN_CONTEXT_DIR  submit-folder: the folder to drop into the form
//   KILN_REGISTRY     submit-folder: host:port of the farm's registry
//   KILN_BUILD_ID     failed-build, cancel-running: the build to open
// submit-folder signs in through the sign-in screen; user-signed-out-when-revoked makes a user's
// token (with KILN_TOKEN) and signs in with it; the others start signed in (token in localStorage).
// Exits 0 when every check held, 1 with the reason otherwise.
import { chromium } from "playwright-core";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const base = required("KILN_URL");
const adminToken = required("KILN_TOKEN");
const shots = required("KILN_SCREENSHOTS");
const scenario = process.argv[2];
const TIMEOUT = 180_000;

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

// Features of the API that this tree may not have yet; the UI degrades without them, and the
// browser reports the refused request itself, which is no fault of the page.
const OPTIONAL = ["/api/v1/builds/stream", "/api/v1/dockerfiles/analyze"];

// While a scenario shows a refused token on purpose, the browser's own reports of the 401
// answers (and of WebSocket handshakes refused with 401) are expected, not faults of the page.
let refusalsExpected = false;
async function expectingRefusals(run) {
  refusalsExpected = true;
  try {
    return await run();
  } finally {
    refusalsExpected = false;
  }
}

/** Calls the API as the admin, as the CLI would. */
async function callApi(method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  check(response.ok, `${method} ${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/**
 * Signs in through the sign-in screen the page shows now: the token typed into its field and
 * sent with Enter, as a person would, then waits until the screen is gone.
 */
async function signInWithTheForm(page, value) {
  const field = page.getByLabel("API token");
  await field.fill("");
  await field.pressSequentially(value);
  await field.press("Enter");
  await page.waitForURL((url) => url.pathname !== "/sign-in");
}

/**
 * A page of a fresh browser profile. With `token`, the profile is signed in already (the token
 * in localStorage, where the sign-in screen keeps it); without, the page starts signed out.
 */
async function withPage(viewport, run, { token } = {}) {
  const profile = mkdtempSync(join(tmpdir(), "kiln-chromium-"));
  // A fresh profile each time (Playwright's form of --user-data-dir).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    viewport,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  const problems = [];
  try {
    if (token) {
      await context.addInitScript((value) => {
        try {
          if (!localStorage.getItem("kiln.token")) localStorage.setItem("kiln.token", value);
        } catch {
          // about:blank has no storage
        }
      }, token);
    }
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(TIMEOUT);
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      const where = `${message.text()} ${message.location().url ?? ""}`;
      if (refusalsExpected && /\b401\b/.test(message.text())) {
        console.log(`(refused as expected: ${message.text().replace(/access_token=[^&'"\s]+/, "access_token=…")})`);
        return;
      }
      if (OPTIONAL.some((path) => where.includes(path))) {
        console.log(`(optional API absent: ${message.text()})`);
        return;
      }
      problems.push(`console error: ${message.text()} at ${message.location().url}`);
    });
    await run(page);
    check(problems.length === 0, `the page reported errors:\n  ${problems.join("\n  ")}`);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

async function shot(page, name, fullPage = true) {
  mkdirSync(shots, { recursive: true });
  const path = join(shots, `${name}.png`);
  await page.screenshot({ path, fullPage });
  console.log(`screenshot ${path}`);
}

async function statusOf(page) {
  return (await page.getByTestId("status").first().textContent()).trim();
}

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

const scenarios = {
  // Pick a folder with its Dockerfile, fill the form, build, and watch it succeed.
  async "submit-folder"() {
    const folder = required("KILN_CONTEXT_DIR");
    const registry = required("KILN_REGISTRY");
    let id;
    await withPage(DESKTOP, async (page) => {
      // Signed out, the form asks for a token first, and says where one comes from.
      await page.goto(`${base}/builds/new`);
      await page.waitForURL(`${base}/sign-in?next=%2Fbuilds%2Fnew`);
      const field = page.getByLabel("API token");
      await field.waitFor();
      check(await field.evaluate((input) => input === document.activeElement), "the token field has the focus");
      const help = await page.locator("main").innerText();
      check(help.includes("kiln up") && help.includes("kiln token create NAME"), `the screen says where tokens come from: ${help}`);
      const reached = new Set();
      for (let i = 0; i < 10; i++) {
        await page.keyboard.press("Tab");
        reached.add(await page.evaluate(() => document.activeElement?.textContent?.trim() || document.activeElement?.id));
      }
      check(reached.has("Sign in") && reached.has("token"), `Tab reaches the field and Sign in (reached: ${[...reached].join(" | ")})`);
      await shot(page, "00-sign-in");

      // A wrong token is refused, with the API's reason beside the field.
      await expectingRefusals(async () => {
        await field.fill("not-a-kiln-token");
        await field.press("Enter");
        await page.locator("#token-error").waitFor();
      });
      const refusal = await page.locator("#token-error").textContent();
      check(/not valid/.test(refusal), `the API's reason is shown: ${refusal}`);
      check((await field.getAttribute("aria-invalid")) === "true", "the field is marked invalid");
      check(new URL(page.url()).pathname === "/sign-in", "a refused token stays on the sign-in screen");
      await shot(page, "00-sign-in-refused");

      // The farm's admin token signs in and leads back to the form; the header says who.
      await signInWithTheForm(page, adminToken);
      check(new URL(page.url()).pathname === "/builds/new", `back on the page that asked: ${page.url()}`);
      await page.getByTestId("signed-in-as").filter({ hasText: "admin" }).waitFor();
      const who = (await page.getByTestId("signed-in-as").innerText()).replace(/\s+/g, " ");
      check(/admin ADMIN/i.test(who), `the header names the admin and the role: ${who}`);
      check((await page.evaluate(() => localStorage.getItem("kiln.token"))) === adminToken, "the token is kept in localStorage");

      await page.getByTestId("folder-input").setInputFiles(folder);
      const summary = page.getByTestId("picked-summary");
      await summary.waitFor();
      const text = await summary.textContent();
      check(/2 left out by \.dockerignore/.test(text), `the .dockerignore rules were applied: ${text}`);
      // The Dockerfile's ARG is offered with its default, and its stages as targets.
      const argValue = page.getByLabel("Value of GREETING");
      await argValue.waitFor();
      check((await argValue.inputValue()) === "hello", "GREETING is pre-filled with its default");
      await argValue.fill("hi");
      check((await page.locator("#target option").allTextContents()).some((t) => t.startsWith("base ")), "the stage 'base' is offered as a target");
      await page.getByLabel("Image name").fill(`${registry}/web/app`);
      await page.getByLabel("Tag", { exact: true }).fill("1.0");
      await page.getByLabel("No cache").check();
      await shot(page, "01-new-build-form");
      await page.getByRole("button", { name: "Build", exact: true }).click();
      await page.waitForURL(/\/builds\/[0-9a-f-]{36}$/);
      id = page.url().split("/").pop();
      console.log(`submitted build ${id}`);
      await page.waitForFunction(() => document.querySelector("[data-testid=status]")?.textContent === "succeeded", null, { timeout: TIMEOUT });
      await page.getByTestId("layer").first().waitFor();
      await page.locator("[data-seq]").first().waitFor();
      const log = await page.getByTestId("log").innerText();
      check(log.includes("hi from the browser"), "the RUN step's output is in the log");
      check(await page.locator('span[style*="color: rgb(74, 222, 128)"]', { hasText: "green" }).count() === 1, "ANSI green is shown in colour");
      const steps = page.getByTestId("step");
      check((await steps.count()) >= 4, `every step is listed (${await steps.count()})`);
      check((await page.locator('[data-testid=step][data-status=failed]').count()) === 0, "no step failed");
      check(/steps finished/.test(await page.getByTestId("step-progress").textContent()), "progress shows finished steps");
      check(await page.getByRole("button", { name: "Copy image reference" }).isVisible(), "the pushed reference can be copied");
      await page.getByRole("button", { name: "Cancel" }).waitFor({ state: "detached" });
      await page.waitForTimeout(300);
      await shot(page, "02-build-succeeded");

      // Search, and a link to one line.
      await page.getByLabel("Search the log").fill("from the browser");
      await page.getByLabel("Search the log").press("Enter");
      check(/^1 of \d+$/.test(await page.getByTestId("search-count").textContent()), "the search finds the line");
      const seq = await page.locator("[data-seq]", { hasText: "hi from the browser" }).first().getAttribute("data-seq");
      await page.goto(`${base}/builds/${id}#L${seq}`);
      await page.locator(`#L${seq}.bg-amber-400\\/25`).waitFor();
      await page.getByTestId("largest-first").click();
      await shot(page, "03-build-line-link-and-largest-layers");

      // The list shows it, newest first, with who started it.
      await page.getByRole("link", { name: "Builds", exact: true }).click();
      const row = page.locator(`[data-build-id="${id}"]`);
      await row.waitFor();
      check((await row.textContent()).includes("succeeded"), "the list shows the build as succeeded");
      check((await page.getByTestId("build-row").first().getAttribute("data-build-id")) === id, "the newest build is first");
      await page.getByRole("combobox").first().selectOption("FAILED");
      await row.waitFor({ state: "detached" });
      await page.getByRole("combobox").first().selectOption("");
      await row.waitFor();
      await shot(page, "04-builds-list");

      // Signing out forgets the token and shows the sign-in screen, without a complaint.
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByLabel("API token").waitFor();
      check(new URL(page.url()).pathname === "/sign-in", "signed out, the sign-in screen is shown");
      check((await page.getByTestId("signed-out-reason").count()) === 0, "signing out oneself needs no explanation");
      check((await page.evaluate(() => localStorage.getItem("kiln.token"))) === null, "the token is forgotten");
    });
    await withPage(PHONE, async (page) => {
      await page.goto(`${base}/`);
      await page.locator(`[data-build-id="${id}"]`).waitFor();
      await shot(page, "05-builds-list-phone");
      await page.goto(`${base}/builds/${id}`);
      await page.locator("[data-seq]").first().waitFor();
      await shot(page, "06-build-phone");
      // Everything is reachable with the keyboard: Tab lands on the build's buttons.
      const reached = new Set();
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press("Tab");
        reached.add(await page.evaluate(() => document.activeElement?.textContent?.trim()));
      }
      check(reached.has("Rebuild"), `Tab reaches Rebuild (reached: ${[...reached].join(" | ")})`);
    }, { token: adminToken });
  },

  // A failed build explains itself: category, suggestion, the failing line highlighted.
  async "failed-build"() {
    const id = required("KILN_BUILD_ID");
    await withPage(DESKTOP, async (page) => {
      await page.goto(`${base}/builds/${id}`);
      await page.getByTestId("failure").waitFor();
      check((await statusOf(page)) === "failed", "the status is failed");
      check((await page.getByTestId("failure-category").textContent()) === "A command failed", "the category is named");
      check((await page.getByTestId("failure-suggestion").textContent()).length > 12, "a suggestion is shown");
      const line = page.getByTestId("failing-line");
      check((await line.textContent()).includes("exit 3"), `the failing line is highlighted: ${await line.textContent()}`);
      await page.locator('[data-testid=step][data-status=failed]').waitFor();
      await page.locator("[data-seq]").first().waitFor();
      await shot(page, "07-build-failed");
    }, { token: adminToken });
  },

  // Open a running build's page, time its first log line, and cancel it.
  async "cancel-running"() {
    const id = required("KILN_BUILD_ID");
    await withPage(DESKTOP, async (page) => {
      // Twice: the first open after the farm started, and again once its services are warm.
      for (const when of ["first open", "opened again"]) {
        await page.goto("about:blank");
        const marks = {};
        const onSocket = (socket) => {
          if (!socket.url().includes("/logs/stream")) return;
          marks.streamOpened ??= Date.now();
          socket.on("framereceived", () => (marks.firstMessage ??= Date.now()));
        };
        const onLoaded = () => (marks.pageLoaded ??= Date.now());
        page.on("websocket", onSocket);
        page.on("domcontentloaded", onLoaded);
        const opened = Date.now();
        await page.goto(`${base}/builds/${id}`, { waitUntil: "commit" });
        await page.locator("[data-seq]").first().waitFor({ state: "visible" });
        const firstLine = Date.now() - opened;
        page.off("websocket", onSocket);
        page.off("domcontentloaded", onLoaded);
        const since = (mark) => (marks[mark] ? `${marks[mark] - opened} ms` : "?");
        console.log(
          `${when}: first log line on screen ${firstLine} ms after opening the page (page loaded ${since("pageLoaded")}, ` +
            `log stream opened ${since("streamOpened")}, first stream message ${since("firstMessage")})`,
        );
      }
      check((await statusOf(page)) === "running", "the build is running");
      await page.locator("[aria-current=step]").waitFor();
      await shot(page, "08-build-running");
      await page.getByRole("button", { name: "Cancel" }).click();
      await page.waitForFunction(() => document.querySelector("[data-testid=status]")?.textContent === "cancelled", null, { timeout: TIMEOUT });
      await shot(page, "09-build-cancelled");
    }, { token: adminToken });
  },

  // A user (not an admin) signs in on a phone, sees only their own builds, and is sent back to
  // the sign-in screen, told why, once an admin revokes the token.
  async "user-signed-out-when-revoked"() {
    const name = `carol-${Date.now().toString(36)}`;
    const made = await callApi("POST", "/api/v1/tokens", { name, role: "user" });
    await withPage(PHONE, async (page) => {
      await page.goto(`${base}/`);
      await page.waitForURL(`${base}/sign-in`);
      await shot(page, "10-sign-in-phone");
      await signInWithTheForm(page, made.token);
      await page.getByTestId("signed-in-as").filter({ hasText: name }).waitFor();
      check(/user/i.test(await page.getByTestId("signed-in-as").innerText()), "the header shows the role");
      // The API lists only the user's own builds, so there is no one else to filter by.
      await page.getByTestId("own-builds-only").waitFor();
      check((await page.getByLabel("Started by").count()) === 0, "no owner filter for a user");
      await page.getByText("No builds yet").waitFor();
      await shot(page, "11-builds-list-user-phone");

      await callApi("DELETE", `/api/v1/tokens/${made.id}`);
      // The gateway trusts a checked token for a few seconds; the next call after that is refused.
      await expectingRefusals(async () => {
        const until = Date.now() + 60_000;
        while (new URL(page.url()).pathname !== "/sign-in") {
          check(Date.now() < until, "the revoked token was still accepted after a minute");
          // Away and back to the list, which reads the builds again. The header's links go away
          // the moment the page signs out.
          const nav = page.getByRole("navigation", { name: "Main" });
          await nav.getByRole("link", { name: "New build", exact: true }).click({ timeout: 2000 }).catch(() => {});
          await nav.getByRole("link", { name: "Builds", exact: true }).click({ timeout: 2000 }).catch(() => {});
          await page.waitForTimeout(1000);
        }
        await page.getByTestId("signed-out-reason").waitFor();
      });
      const reason = await page.getByTestId("signed-out-reason").textContent();
      check(/revoked/.test(reason), `the sign-in screen says why: ${reason}`);
      check((await page.evaluate(() => localStorage.getItem("kiln.token"))) === null, "the refused token is forgotten");
      await shot(page, "12-signed-out-token-revoked-phone");
    });
  },
};

if (!scenarios[scenario]) {
  console.error(`unknown scenario '${scenario}'; one of: ${Object.keys(scenarios).join(", ")}`);
  process.exit(2);
}
try {
  await scenarios[scenario]();
  console.log(`scenario ${scenario}: passed`);
} catch (error) {
  console.error(`scenario ${scenario}: ${error.stack ?? error}`);
  process.exit(1);
}
