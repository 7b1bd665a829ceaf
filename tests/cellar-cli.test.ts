import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openState } from "cellar";
import { runCellar } from "./support/cellar-cli.ts";

// END TO END: the `cellar` program is spawned (from its sources, through tsx) against temporary
// persist roots: real stdout bytes, stderr and exit codes. Every command's details are covered in
// process by packages/cellar/test/cli.test.ts; each spawn costs about a second, so this file
// checks one path per command.
const temporary: string[] = [];
async function tempDir(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), "cellar-cli-e2e-"));
  temporary.push(directory);
  return directory;
}
afterAll(async () => {
  await Promise.all(temporary.map((directory) => rm(directory, { recursive: true, force: true })));
});

describe.concurrent("cellar (spawned)", () => {
  it("prints help, and exits 2 on a usage error", async () => {
    const [help, usage, json] = await Promise.all([runCellar(["--help"]), runCellar(["kv", "get", "k"]), runCellar(["--json", "frob"])]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage: cellar [global options] <command>");
    expect(usage).toMatchObject({ status: 2, stdout: "", stderr: 'cellar: "cellar kv get" needs --namespace\nRun "cellar kv --help" for usage.\n' });
    expect(json.status).toBe(2);
    expect(JSON.parse(json.stderr)).toEqual({ error: { message: 'unknown command "frob" (one of: kv, r2, d1, do, gc, serve)', code: "ERR_USAGE" } });
  });

  it("kv: bytes in and out exactly, exit 1 when missing", async () => {
    const root = await tempDir();
    const file = join(root, "..", `${randomBytes(4).toString("hex")}.bin`);
    temporary.push(file);
    const bytes = randomBytes(100_000);
    writeFileSync(file, bytes);
    expect((await runCellar(["--root", root, "kv", "put", "--namespace", "n", "blob", "--file", file])).status).toBe(0);
    const got = await runCellar(["--root", root, "kv", "get", "--namespace", "n", "blob"]);
    expect(got.status).toBe(0);
    expect(got.stdoutBytes.equals(bytes)).toBe(true);
    const missing = await runCellar(["--root", root, "--json", "kv", "get", "--namespace", "n", "nope"]);
    expect(missing.status).toBe(1);
    expect(JSON.parse(missing.stderr)).toEqual({ error: { message: 'key "nope" not found in KV namespace "n"', code: "ERR_NOT_FOUND" } });
  });

  it("r2: streams a file in and back out; d1 and do read the same root", async () => {
    const root = await tempDir();
    const work = await tempDir();
    const input = join(work, "in.bin");
    const output = join(work, "out.bin");
    const bytes = randomBytes(5 * 1024 * 1024 + 3);
    writeFileSync(input, bytes);
    const put = await runCellar(["--root", root, "--json", "r2", "put", "--bucket", "b", "big.bin", "--file", input]);
    expect(put.status).toBe(0);
    expect(JSON.parse(put.stdout)).toMatchObject({ key: "big.bin", size: bytes.length });
    expect(put.stderr).toBe(""); // stderr is a pipe: no progress line
    expect((await runCellar(["--root", root, "r2", "get", "--bucket", "b", "big.bin", "--file", output])).status).toBe(0);
    expect(readFileSync(output).equals(bytes)).toBe(true);

    const executed = await runCellar(["--root", root, "d1", "execute", "--database", "DB", "--command", "CREATE TABLE t (a); INSERT INTO t VALUES (42); SELECT a FROM t"]);
    expect(executed).toMatchObject({ status: 0, stdout: "OK (0 rows changed)\n\nOK (1 rows changed)\n\na\n42\n" });

    const state = await openState({ root });
    const counters = state.durableObjects("-Counter");
    await counters.get(counters.idFromName("home")).storage.put("visits", 7);
    await state.close();
    const listed = await runCellar(["--root", root, "do", "list", "--unique-key", "-Counter"]);
    expect(listed.stdout).toBe(`${counters.idFromName("home").toString()}\n`);
    expect((await runCellar(["--root", root, "do", "get", "--unique-key", "-Counter", "--name", "home", "visits"])).stdout).toBe("7\n");

    const gc = await runCellar(["--root", root, "--json", "gc"]);
    expect(gc.status).toBe(0);
    expect(JSON.parse(gc.stdout).namespaces).toEqual([expect.objectContaining({ product: "r2", name: "b", orphanBlobs: 0 })]);
  });
});
