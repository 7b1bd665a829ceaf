import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openState } from "../src/index.js";
import { runCellar } from "./run-in-process.js";

// The CLI in process (runCli with captured streams): every command, output shape and exit code.
// tests/cellar-cli.test.ts spawns the real program for the end-to-end path.
const temporary: string[] = [];
async function tempDir(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), "cellar-cli-"));
  temporary.push(directory);
  return directory;
}
afterAll(async () => {
  await Promise.all(temporary.map((directory) => rm(directory, { recursive: true, force: true })));
});

describe.concurrent("cellar CLI", () => {
  it("prints help for the program and each command", async () => {
    const program = await runCellar(["--help"]);
    expect(program.status).toBe(0);
    expect(program.stdout).toContain("Usage: cellar [global options] <command>");
    for (const command of ["kv get|put|delete|list", "r2 get|put|delete|list", "d1 execute|export|import", "do list|get", "gc"]) expect(program.stdout).toContain(command);
    expect(program.stdout).toContain("Exit codes: 0 ok, 1 the operation failed");
    const kv = await runCellar(["kv", "--help"]);
    expect(kv.status).toBe(0);
    expect(kv.stdout).toContain("cellar kv put    --namespace <id> <key> --file <path>");
    const d1 = await runCellar(["help", "d1"]);
    expect(d1.stdout).toContain("cellar d1 export  --database <id>");
    expect((await runCellar(["gc", "-h"])).stdout).toContain("--grace-ms <ms>");
  });

  it("exits 2 with a clear message on usage errors", async () => {
    const root = await tempDir();
    const cases: [string[], string][] = [
      [[], "cellar: a command is needed\nRun \"cellar --help\" for usage.\n"],
      [["frobnicate"], "unknown command \"frobnicate\" (one of: kv, r2, d1, do, gc, serve)"],
      [["kv"], "\"cellar kv\" needs a subcommand: get, put, delete, list"],
      [["kv", "get", "--root", root, "--bogus"], "Unknown option '--bogus'"],
      [["kv", "get", "--root", root, "k"], "\"cellar kv get\" needs --namespace\nRun \"cellar kv --help\" for usage."],
      [["kv", "get", "--root", root, "--namespace", "n", "--bucket", "b", "k"], "\"cellar kv get\" does not take --bucket"],
      [["kv", "get", "--root", root, "--namespace", "n"], "\"cellar kv get\" needs <key>"],
      [["kv", "get", "--root", root, "--namespace", "n", "a", "b"], "got extra \"b\""],
      [["kv", "put", "--root", root, "--namespace", "n", "k", "v", "--ttl", "soon"], "--ttl must be a non-negative integer, got \"soon\""],
      [["kv", "put", "--root", root, "--namespace", "n", "k"], "needs <value> or --file <path>"],
      [["--engine", "postgres", "gc", "--root", root], "--engine must be \"native\" or \"wasm\""],
      [["d1", "execute", "--root", root, "--database", "DB"], "needs exactly one of --command and --file"],
      [["r2", "get", "--root", root, "--bucket", "b", "k", "--json"], "needs --file"],
    ];
    const runs = await Promise.all(cases.map(([args]) => runCellar(args)));
    runs.forEach((run, index) => {
      expect(run.status, cases[index]![0].join(" ")).toBe(2);
      expect(run.stderr).toContain(cases[index]![1]);
      expect(run.stdout).toBe("");
    });
    const json = await runCellar(["--json", "kv", "get", "--root", root, "k"]);
    expect(json.status).toBe(2);
    expect(JSON.parse(json.stderr)).toEqual({ error: { message: "\"cellar kv get\" needs --namespace", code: "ERR_USAGE" } });
  });

  it("kv: put, get, list, delete, with text and --json output", async () => {
    const root = await tempDir();
    const file = join(await tempDir(), "value.bin");
    const bytes = randomBytes(70_000);
    writeFileSync(file, bytes);
    const kv = (...args: string[]) => runCellar(["--root", root, "kv", ...args]);

    const put = await kv("put", "--namespace", "my-kv", "user:1", "Ada", "--metadata", '{"role":"admin"}');
    expect(put).toMatchObject({ status: 0, stdout: 'Put "user:1" (3 bytes) into KV namespace "my-kv"\n', stderr: "" });
    expect(JSON.parse((await kv("put", "--namespace", "my-kv", "blob", "--file", file, "--json")).stdout)).toEqual({ key: "blob", bytes: 70_000 });
    expect((await kv("put", "--namespace", "my-kv", "user:2", "Bob", "--ttl", "3600")).status).toBe(0);

    expect((await kv("get", "--namespace", "my-kv", "user:1")).stdout).toBe("Ada");
    expect((await kv("get", "--namespace", "my-kv", "blob")).stdoutBytes.equals(bytes)).toBe(true);
    expect(JSON.parse((await kv("get", "--namespace", "my-kv", "user:1", "--json")).stdout)).toEqual({ key: "user:1", value: "Ada", metadata: { role: "admin" } });

    expect((await kv("list", "--namespace", "my-kv")).stdout).toBe("blob\nuser:1\nuser:2\n");
    expect((await kv("list", "--namespace", "my-kv", "--prefix", "user:", "--limit", "1")).stdout).toBe("user:1\n");
    const listed = JSON.parse((await kv("list", "--namespace", "my-kv", "--prefix", "user:", "--json")).stdout);
    expect(listed).toEqual([{ name: "user:1", metadata: { role: "admin" } }, { name: "user:2", expiration: expect.any(Number) }]);

    expect(await kv("delete", "--namespace", "my-kv", "user:1")).toMatchObject({ status: 0, stdout: 'Deleted "user:1" from KV namespace "my-kv"\n' });
    const missing = await kv("get", "--namespace", "my-kv", "user:1");
    expect(missing).toMatchObject({ status: 1, stdout: "", stderr: 'cellar: error: key "user:1" not found in KV namespace "my-kv"\n' });
    const missingJson = await kv("get", "--namespace", "my-kv", "user:1", "--json");
    expect(JSON.parse(missingJson.stderr)).toEqual({ error: { message: 'key "user:1" not found in KV namespace "my-kv"', code: "ERR_NOT_FOUND" } });

    // Operation failures exit 1: the gateway's own validation, a missing input file, a missing root.
    const shortTtl = await kv("put", "--namespace", "my-kv", "k", "v", "--ttl", "5");
    expect(shortTtl.status).toBe(1);
    expect(shortTtl.stderr).toBe("cellar: error: KV PUT failed: 400 Invalid expiration_ttl of 5. Expiration TTL must be at least 60.\n");
    const noFile = await kv("put", "--namespace", "my-kv", "k", "--file", join(root, "nope.txt"));
    expect(noFile).toMatchObject({ status: 1, stderr: `cellar: error: cannot read ${join(root, "nope.txt")}: no such file\n` });
    const noRoot = await runCellar(["--root", join(root, "absent"), "kv", "list", "--namespace", "x"]);
    expect(noRoot.status).toBe(1);
    expect(noRoot.stderr).toContain(`the persist root ${join(root, "absent")} does not exist`);
    // A usage error is one whether or not the root exists, and a read never creates the root.
    const usageWithoutRoot = await runCellar(["--root", join(root, "absent"), "kv", "get", "k"]);
    expect(usageWithoutRoot).toMatchObject({ status: 2, stderr: 'cellar: "cellar kv get" needs --namespace\nRun "cellar kv --help" for usage.\n' });
    expect(existsSync(join(root, "absent"))).toBe(false);
  });

  it("r2: streams files in and out, lists and deletes", async () => {
    const root = await tempDir();
    const work = await tempDir();
    const input = join(work, "photo.bin");
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    writeFileSync(input, bytes);
    const r2 = (...args: string[]) => runCellar(["--root", root, "r2", ...args]);

    const put = await r2("put", "--bucket", "photos", "2026/photo.bin", "--file", input, "--content-type", "image/x-test", "--json");
    expect(put.status).toBe(0);
    expect(put.stderr).toBe(""); // no progress: stderr is not a terminal
    expect(JSON.parse(put.stdout)).toEqual({ key: "2026/photo.bin", size: bytes.length, etag: expect.stringMatching(/^[0-9a-f]{32}$/), uploaded: expect.any(String), contentType: "image/x-test" });
    expect((await r2("put", "--bucket", "photos", "note.txt", "hello r2")).stdout).toMatch(/^Put "note.txt" \(8 bytes, etag [0-9a-f]{32}\) into R2 bucket "photos"\n$/);

    const output = join(work, "out.bin");
    const got = await r2("get", "--bucket", "photos", "2026/photo.bin", "--file", output, "--json");
    expect(got.status).toBe(0);
    expect(JSON.parse(got.stdout)).toMatchObject({ key: "2026/photo.bin", size: bytes.length, file: output });
    expect(readFileSync(output).equals(bytes)).toBe(true);
    expect((await r2("get", "--bucket", "photos", "2026/photo.bin")).stdoutBytes.equals(bytes)).toBe(true);
    expect((await r2("get", "--bucket", "photos", "note.txt")).stdout).toBe("hello r2");

    const listed = JSON.parse((await r2("list", "--bucket", "photos", "--json")).stdout);
    expect(listed.map((object: { key: string; size: number }) => [object.key, object.size])).toEqual([["2026/photo.bin", bytes.length], ["note.txt", 8]]);
    expect((await r2("list", "--bucket", "photos", "--prefix", "2026/")).stdout).toMatch(/^2026\/photo\.bin\t3145745\t\d{4}-/);

    expect((await r2("delete", "--bucket", "photos", "note.txt")).status).toBe(0);
    const missing = await r2("get", "--bucket", "photos", "note.txt");
    expect(missing).toMatchObject({ status: 1, stderr: 'cellar: error: object "note.txt" not found in R2 bucket "photos"\n' });
  });

  it("r2: shows progress on stderr for large files when it is a terminal", async () => {
    const root = await tempDir();
    const input = join(await tempDir(), "large.bin");
    writeFileSync(input, Buffer.alloc(9 * 1024 * 1024, 7));
    const put = await runCellar(["--root", root, "r2", "put", "--bucket", "b", "large.bin", "--file", input], { stderrIsTTY: true });
    expect(put.status).toBe(0);
    expect(put.stderr).toMatch(/^\rlarge\.bin: .*\rlarge\.bin: 9\.0 MiB \/ 9\.0 MiB \(100%\)\n$/s);
    const got = await runCellar(["--root", root, "r2", "get", "--bucket", "b", "large.bin", "--file", join(root, "copy.bin")], { stderrIsTTY: true });
    expect(got.stderr).toContain("\rlarge.bin: 9.0 MiB / 9.0 MiB (100%)\n");
    const small = await runCellar(["--root", root, "r2", "put", "--bucket", "b", "small", "tiny"], { stderrIsTTY: true });
    expect(small.stderr).toBe("");
  });

  it("d1: execute, export and import", async () => {
    const root = await tempDir();
    const work = await tempDir();
    const d1 = (...args: string[]) => runCellar(["--root", root, "d1", ...args]);

    const created = await d1("execute", "--database", "DB", "--command", "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('Ada'), ('Bob')");
    expect(created.status).toBe(0);
    expect(created.stdout).toBe("OK (0 rows changed)\n\nOK (2 rows changed)\n");
    expect((await d1("execute", "--database", "DB", "--command", "SELECT id, name FROM users ORDER BY id")).stdout).toBe("id\tname\n1\tAda\n2\tBob\n");
    const json = JSON.parse((await d1("execute", "--database", "DB", "--command", "SELECT name FROM users WHERE id = 2", "--json")).stdout);
    expect(json).toEqual([{ results: [{ name: "Bob" }], meta: { changes: 0, last_row_id: expect.any(Number), duration: expect.any(Number) } }]);

    const sqlFile = join(work, "more.sql");
    writeFileSync(sqlFile, "INSERT INTO users (name) VALUES ('Cy');\nINSERT INTO users (name) VALUES ('Di');\n");
    expect((await d1("execute", "--database", "DB", "--file", sqlFile)).stdout).toBe(`Executed 2 statements from ${sqlFile} (one transaction)\n`);

    const failed = await d1("execute", "--database", "DB", "--command", "SELECT * FROM nowhere");
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain("cellar: error: D1_ERROR: no such table: nowhere");

    const exported = join(work, "backup.sql");
    expect((await d1("export", "--database", "DB", "--output", exported)).stdout).toBe(`Exported database "DB" to ${exported}\n`);
    const dump = readFileSync(exported, "utf8");
    expect(dump).toContain("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);");
    expect(dump).toContain(`INSERT INTO "users" VALUES(4,'Di');`);
    expect((await d1("export", "--database", "DB", "--no-schema")).stdout).toBe(dump.replace(/^CREATE TABLE.*\n/m, ""));

    const imported = await d1("import", "--database", "COPY", "--file", exported, "--json");
    expect(JSON.parse(imported.stdout)).toMatchObject({ statements: expect.any(Number), bytes: Buffer.byteLength(dump) });
    expect((await d1("execute", "--database", "COPY", "--command", "SELECT count(*) AS n FROM users")).stdout).toBe("n\n4\n");
  });

  it("reads --file - from standard input for kv put, r2 put and d1 import", async () => {
    const root = await tempDir();
    const bytes = randomBytes(200_000);
    expect((await runCellar(["--root", root, "kv", "put", "--namespace", "ns", "piped", "--file", "-"], { stdin: "from a pipe" })).stdout).toBe('Put "piped" (11 bytes) into KV namespace "ns"\n');
    expect((await runCellar(["--root", root, "kv", "get", "--namespace", "ns", "piped"])).stdout).toBe("from a pipe");
    const put = await runCellar(["--root", root, "--json", "r2", "put", "--bucket", "b", "piped.bin", "--file", "-"], { stdin: bytes });
    expect(JSON.parse(put.stdout)).toMatchObject({ key: "piped.bin", size: bytes.length });
    expect((await runCellar(["--root", root, "r2", "get", "--bucket", "b", "piped.bin"])).stdoutBytes.equals(bytes)).toBe(true);
    const sql = "CREATE TABLE t (a);\nINSERT INTO t VALUES (1), (2);\n";
    expect((await runCellar(["--root", root, "d1", "import", "--database", "DB", "--file", "-"], { stdin: sql })).stdout).toBe(`Imported 2 statements (${sql.length} bytes) into database "DB"\n`);
    expect((await runCellar(["--root", root, "d1", "execute", "--database", "DB", "--command", "SELECT count(*) AS n FROM t"])).stdout).toBe("n\n2\n");
    const noStdin = await runCellar(["--root", root, "kv", "put", "--namespace", "ns", "k", "--file", "-"]);
    expect(noStdin).toMatchObject({ status: 1, stderr: "cellar: error: standard input is not available\n" });
  });

  it("r2 list --delimiter shows common prefixes before objects", async () => {
    const root = await tempDir();
    for (const key of ["a.txt", "photos/1.jpg", "photos/2.jpg", "docs/x/y.md"]) expect((await runCellar(["--root", root, "r2", "put", "--bucket", "b", key, "v"])).status).toBe(0);
    const text = await runCellar(["--root", root, "r2", "list", "--bucket", "b", "--delimiter", "/"]);
    expect(text.stdout.split("\n").map((line) => line.split("\t")[0])).toEqual(["docs/", "photos/", "a.txt", ""]);
    const json = await runCellar(["--root", root, "--json", "r2", "list", "--bucket", "b", "--delimiter", "/", "--prefix", "photos/"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ delimitedPrefixes: [], objects: [{ key: "photos/1.jpg" }, { key: "photos/2.jpg" }] });
    const limited = await runCellar(["--root", root, "--json", "r2", "list", "--bucket", "b", "--delimiter", "/", "--limit", "2"]);
    expect(JSON.parse(limited.stdout)).toEqual({ delimitedPrefixes: ["docs/", "photos/"], objects: [] });
  });

  it("d1 import shows progress on stderr for large files when it is a terminal", async () => {
    const root = await tempDir();
    const file = join(root, "large.sql");
    // One statement of 8 MiB: an import has no per-statement size limit, and only inputs of 8 MiB or more show progress.
    writeFileSync(file, `CREATE TABLE blobs (b);\nINSERT INTO blobs VALUES (x'${randomBytes(4 * 1024 * 1024).toString("hex")}');\n`);
    const run = await runCellar(["--root", root, "d1", "import", "--database", "DB", "--file", file], { stderrIsTTY: true });
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/large\.sql: 8\.0 MiB \/ 8\.0 MiB \(100%\)\n$/);
  });

  it("do: lists object ids and reads an object's storage", async () => {
    const root = await tempDir();
    const state = await openState({ root });
    const counters = state.durableObjects("-Counter");
    await counters.get(counters.idFromName("home")).storage.put({ visits: 3, tags: new Set(["a"]), at: new Date(0) });
    await counters.get(counters.idFromName("away")).storage.put("visits", 1);
    await state.close();
    const ids = [counters.idFromName("home").toString(), counters.idFromName("away").toString()].sort();
    const run = (...args: string[]) => runCellar(["--root", root, "do", ...args]);

    expect((await run("list", "--unique-key", "-Counter")).stdout).toBe(ids.map((id) => `${id}\n`).join(""));
    expect(JSON.parse((await run("list", "--unique-key", "-Counter", "--json")).stdout)).toEqual(ids);
    expect((await run("get", "--unique-key", "-Counter", "--name", "home", "visits")).stdout).toBe("3\n");
    expect(JSON.parse((await run("get", "--unique-key", "-Counter", "--name", "home", "--json")).stdout)).toEqual({ at: "1970-01-01T00:00:00.000Z", tags: ["a"], visits: 3 });
    expect((await run("get", "--unique-key", "-Counter", "--name", "home")).stdout).toBe("at\t1970-01-01T00:00:00.000Z\ntags\tSet(1) { 'a' }\nvisits\t3\n");
    const missing = await run("get", "--unique-key", "-Counter", "--name", "nobody");
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('no Durable Object named "nobody" in namespace "-Counter"');
    expect((await run("list", "--unique-key", "-Counter")).stdout.split("\n")).toHaveLength(3); // looking created nothing
  });

  it("do delete-all: deletes one namespace's objects, or every namespace's", async () => {
    const root = await tempDir();
    const state = await openState({ root });
    const counters = state.durableObjects("-Counter");
    const rooms = state.durableObjects("chat-Room");
    await counters.get(counters.idFromName("home")).storage.put("visits", 3);
    await counters.get(counters.idFromName("away")).storage.put("visits", 1);
    await rooms.get(rooms.idFromName("lobby")).storage.put("topic", "hi");
    await state.close();
    const run = (...args: string[]) => runCellar(["--root", root, "do", ...args]);

    const schedule = join(root, "do", "-Counter", "metadata.sqlite");
    const hadSchedule = existsSync(schedule);
    const one = await run("delete-all", "--unique-key", "-Counter");
    expect(one).toMatchObject({ status: 0, stdout: 'Deleted 2 objects of namespace "-Counter"\n' });
    expect((await run("list", "--unique-key", "-Counter")).stdout).toBe("");
    expect((await run("list", "--unique-key", "chat-Room")).stdout.trim()).toHaveLength(64);
    expect(existsSync(schedule)).toBe(hadSchedule);

    const every = await run("delete-all", "--json");
    expect(every.status).toBe(0);
    expect(JSON.parse(every.stdout)).toEqual([
      { uniqueKey: "-Counter", deletedObjects: 0 },
      { uniqueKey: "chat-Room", deletedObjects: 1 },
    ]);
    expect((await run("list", "--unique-key", "chat-Room")).stdout).toBe("");
    const reopened = await openState({ root });
    const lobby = reopened.durableObjects("chat-Room");
    expect(await lobby.get(lobby.idFromName("lobby")).storage.get("topic")).toBeUndefined();
    await reopened.close();

    const bad = await run("delete-all", "extra");
    expect(bad.status).toBe(2);
    const missingRoot = await runCellar(["--root", join(root, "absent"), "do", "delete-all"]);
    expect(missingRoot.status).toBe(1);
    expect(missingRoot.stderr).toContain("does not exist");
  });

  it("gc: reports what it freed, as text and JSON", async () => {
    const root = await tempDir();
    expect((await runCellar(["--root", root, "kv", "put", "--namespace", "ns", "k", "v"])).status).toBe(0);
    const orphan = randomBytes(32).toString("hex") + (Date.now() - 7_200_000).toString(16).padStart(16, "0");
    writeFileSync(join(root, "kv", "ns", "blobs", orphan), "orphaned bytes");
    const json = await runCellar(["--root", root, "gc", "--json"]);
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      namespaces: [{ product: "kv", name: "ns", file: expect.stringContaining("miniflare-KVNamespaceObject"), expiredEntries: 0, orphanBlobs: 1, partialWrites: 0, freedBytes: 14 }],
      total: { expiredEntries: 0, orphanBlobs: 1, partialWrites: 0, freedBytes: 14 },
    });
    const text = await runCellar(["--root", root, "gc", "--grace-ms", "0"]);
    expect(text.stdout).toBe(
      "kv\tns\t0 expired, 0 orphan blobs, 0 partial writes, 0 bytes freed\ntotal\t0 expired, 0 orphan blobs, 0 partial writes, 0 bytes freed in 1 namespaces\n",
    );
  });

  it("runs on the wasm engine too", async () => {
    const root = await tempDir();
    expect((await runCellar(["--root", root, "--engine", "wasm", "kv", "put", "--namespace", "w", "k", "on sql.js"])).status).toBe(0);
    expect((await runCellar(["--root", root, "--engine", "wasm", "kv", "get", "--namespace", "w", "k"])).stdout).toBe("on sql.js");
    expect((await runCellar(["--root", root, "kv", "get", "--namespace", "w", "k"])).stdout).toBe("on sql.js");
  });
});
