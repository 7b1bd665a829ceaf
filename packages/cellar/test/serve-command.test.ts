import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../src/cli/run-cli.js";
import { runCellar } from "./run-in-process.js";

// `cellar serve` in process: it starts, prints its endpoints, answers, and stops on its signal.
const temporary: string[] = [];
afterEach(async () => {
  await Promise.all(temporary.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
});

/** Starts `cellar serve` with captured output; resolves once it has printed its first line. */
async function serve(args: string[]): Promise<{ stdout: () => string; stderr: () => string; stop: () => Promise<number> }> {
  const controller = new AbortController();
  let out = "";
  let err = "";
  let printed: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (printed = resolve));
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        append(chunk.toString("utf8"));
        printed();
        done();
      },
    });
  const exit = runCli(["serve", ...args], { stdout: sink((text) => (out += text)), stderr: sink((text) => (err += text)), stopSignal: controller.signal });
  await Promise.race([started, exit]);
  return {
    stdout: () => out,
    stderr: () => err,
    stop: async () => {
      controller.abort();
      return exit;
    },
  };
}

describe("cellar serve", () => {
  it("serves the root until stopped, printing its endpoints as JSON", async () => {
    const root = await mkdtemp(join(tmpdir(), "cellar-serve-"));
    temporary.push(root);
    const server = await serve(["--root", root, "--port", "0", "--json"]);
    const endpoints = JSON.parse(server.stdout()) as { url: string; health: string; api: string; s3: string; root: string; engine: string };
    expect(endpoints).toMatchObject({ root, engine: "better-sqlite3", api: `${endpoints.url}/client/v4`, s3: endpoints.url, s3Auth: "any credentials" });
    expect(endpoints.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(endpoints.health);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", root, engine: "better-sqlite3" });
    expect((await fetch(endpoints.health, { method: "POST" })).status).toBe(405);
    expect(await server.stop()).toBe(0);
    await expect(fetch(endpoints.health)).rejects.toThrow();
  });

  it("prints a readable banner and says when it stopped", async () => {
    const root = await mkdtemp(join(tmpdir(), "cellar-serve-"));
    temporary.push(root);
    const server = await serve(["--root", root, "--port", "0", "--engine", "wasm"]);
    expect(server.stdout()).toMatch(/^cellar serve: http:\/\/127\.0\.0\.1:\d+ {2}\(root .+, sql\.js\)\n {2}S3 \(R2 buckets\): {2}http/);
    expect(server.stdout()).toContain("Press Ctrl+C to stop.");
    expect(await server.stop()).toBe(0);
    expect(server.stdout()).toContain("cellar serve: stopped\n");
  });

  it("reports a port in use as an operation error, and bad options as usage errors", async () => {
    const root = await mkdtemp(join(tmpdir(), "cellar-serve-"));
    temporary.push(root);
    const first = await serve(["--root", root, "--port", "0", "--json"]);
    const { url } = JSON.parse(first.stdout()) as { url: string };
    const port = new URL(url).port;
    const clash = await runCellar(["--root", root, "serve", "--port", port]);
    expect(clash.status).toBe(1);
    expect(clash.stderr).toBe(`cellar: error: port ${port} on 127.0.0.1 is in use (pass --port, or --port 0 for a free one)\n`);
    expect(await first.stop()).toBe(0);

    for (const [args, message] of [
      [["--port", "http"], "--port must be a non-negative integer"],
      [["--port", "70000"], "--port must be at most 65535"],
      [["--s3-access-key-id", "only-half"], "S3 credentials need both"],
      [["extra"], "takes no arguments"],
    ] as const) {
      const run = await runCellar(["--root", root, "serve", ...args]);
      expect(run.status, args.join(" ")).toBe(2);
      expect(run.stderr).toContain(message);
    }
  });
});
