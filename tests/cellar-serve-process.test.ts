import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openState } from "cellar";

// END TO END: `cellar serve` as a real process (from its sources, through tsx), as the README's
// first command runs it: it prints its endpoints, answers S3 and the Cloudflare API shape, stops
// cleanly on SIGINT/SIGTERM, and what it acknowledged is on disk even when it is killed.
const repository = join(import.meta.dirname, "..");
const cli = join(repository, "packages", "cellar", "src", "cli.ts");
const temporary: string[] = [];
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await Promise.all(temporary.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
});

interface Served {
  readonly child: ChildProcessWithoutNullStreams;
  readonly url: string;
  readonly stdout: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `cellar serve --json --port 0` and resolves once its endpoints document has been printed. */
async function serve(root: string): Promise<Served> {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=@cellar/source", cli, "serve", "--root", root, "--port", "0", "--json"], {
    cwd: repository,
    env: { ...process.env, NO_COLOR: "1" },
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      try {
        resolve((JSON.parse(stdout) as { url: string }).url);
      } catch {
        // The document is not complete yet.
      }
    });
    void exited.then(({ code }) => reject(new Error(`cellar serve exited with ${code}: ${stderr}`)));
  });
  return { child, url, stdout: () => stdout, exited };
}

async function tempRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "cellar-serve-process-"));
  temporary.push(root);
  return root;
}

describe("cellar serve (spawned)", () => {
  it("serves S3 and the KV API, and exits 0 on SIGINT and on SIGTERM", async () => {
    const root = await tempRoot();
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      const served = await serve(root);
      expect(await (await fetch(`${served.url}/_cellar/health`)).json()).toMatchObject({ status: "ok", root, engine: "better-sqlite3" });
      expect((await fetch(`${served.url}/photos/${signal}.txt`, { method: "PUT", body: `stopped by ${signal}` })).status).toBe(200);
      const kv = await fetch(`${served.url}/client/v4/accounts/any/storage/kv/namespaces/my-kv/values/${signal}`, { method: "PUT", body: "kv value" });
      expect(await kv.json()).toMatchObject({ success: true });
      served.child.kill(signal);
      expect(await served.exited).toEqual({ code: 0, signal: null });
    }
    const state = await openState({ root });
    try {
      expect(await (await state.r2("photos").get("SIGINT.txt"))?.text()).toBe("stopped by SIGINT");
      expect(await (await state.r2("photos").get("SIGTERM.txt"))?.text()).toBe("stopped by SIGTERM");
      expect(await state.kv("my-kv").get("SIGTERM")).toBe("kv value");
    } finally {
      await state.close();
    }
  });

  it("keeps every acknowledged write when killed with SIGKILL", async () => {
    const root = await tempRoot();
    const served = await serve(root);
    const bodies = Array.from({ length: 20 }, (_, index) => `value ${index} `.repeat(index * 50 + 1));
    await Promise.all(
      bodies.map(async (body, index) => {
        expect((await fetch(`${served.url}/bucket/k${index}`, { method: "PUT", body })).status).toBe(200);
        expect((await fetch(`${served.url}/client/v4/accounts/any/storage/kv/namespaces/ns/values/k${index}`, { method: "PUT", body })).status).toBe(200);
      }),
    );
    served.child.kill("SIGKILL");
    expect(await served.exited).toEqual({ code: null, signal: "SIGKILL" });
    const state = await openState({ root });
    try {
      for (const [index, body] of bodies.entries()) {
        expect(await (await state.r2("bucket").get(`k${index}`))?.text()).toBe(body);
        expect(await state.kv("ns").get(`k${index}`)).toBe(body);
      }
    } finally {
      await state.close();
    }
  });
});
