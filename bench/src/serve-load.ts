/**
 * Load on `cellar serve`: 50 concurrent clients doing mixed KV (Cloudflare API shape) and R2
 * (S3) operations for 30 s over loopback, then every acknowledged write is read back. Reported:
 * throughput against a bare node:http server on a Map under the same load (the HTTP limit of
 * this machine), latency percentiles per operation, errors, and writes lost (must be 0).
 * `CELLAR_LOAD_SECONDS` shortens or lengthens the run.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { childNodeOptions } from "./child-node-options.ts";
import { reportComparison, reportFigure } from "./report.ts";

const CLIENTS = 50;
const KEYS_PER_CLIENT = 20;
const ACCOUNT = "local";
const NAMESPACE = "load-kv";
const BUCKET = "load-r2";

type Operation = "kv put" | "kv get" | "kv list" | "r2 put" | "r2 get" | "r2 list";
/** Weights of the mix: mostly single-key reads and writes, a few lists. */
const MIX: readonly [Operation, number][] = [
  ["kv put", 25],
  ["kv get", 25],
  ["r2 put", 20],
  ["r2 get", 22],
  ["kv list", 4],
  ["r2 list", 4],
];

interface Reply {
  readonly status: number;
  readonly body: Buffer;
}

interface RunResult {
  readonly seconds: number;
  readonly latencies: Map<Operation, number[]>;
  readonly errors: string[];
  /** Writes acknowledged with a 2xx: the sha1 of the last body each key was acknowledged with. */
  readonly acknowledged: Map<string, string>;
}

const sha1 = (bytes: Buffer): string => createHash("sha1").update(bytes).digest("hex");

function send(agent: Agent, base: URL, method: string, path: string, body?: Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { agent, host: base.hostname, port: base.port, method, path, headers: body === undefined ? {} : { "content-length": body.length, "content-type": "application/octet-stream" } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
        response.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

const kvPath = (key: string): string => `/client/v4/accounts/${ACCOUNT}/storage/kv/namespaces/${NAMESPACE}/values/${encodeURIComponent(key)}`;
const r2Path = (key: string): string => `/${BUCKET}/${key.split("/").map(encodeURIComponent).join("/")}`;

function pick(random: number): Operation {
  let left = random * MIX.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [operation, weight] of MIX) {
    left -= weight;
    if (left < 0) return operation;
  }
  return MIX[0]![0];
}

/** One client: one request at a time on its own keys, so its last acknowledged write per key is the value the store must hold. */
async function client(index: number, base: URL, agent: Agent, until: number, pool: Buffer, result: RunResult): Promise<void> {
  let sequence = 0;
  while (performance.now() < until) {
    const operation = pick(Math.random());
    const slot = Math.floor(Math.random() * KEYS_PER_CLIENT);
    const key = `c${index}/k${slot}`;
    const start = performance.now();
    let reply: Reply;
    let body: Buffer | undefined;
    try {
      if (operation === "kv put" || operation === "r2 put") {
        // A distinct body each time (its sequence number first), from a pre-made random pool.
        const size = operation === "kv put" ? 64 + Math.floor(Math.random() * 1024) : 1024 + Math.floor(Math.random() * 63 * 1024);
        const offset = Math.floor(Math.random() * (pool.length - size));
        body = Buffer.concat([Buffer.from(`${index}:${sequence++}:`), pool.subarray(offset, offset + size)]);
        reply = await send(agent, base, "PUT", operation === "kv put" ? kvPath(key) : r2Path(key), body);
      } else if (operation === "kv get") {
        reply = await send(agent, base, "GET", kvPath(key));
      } else if (operation === "r2 get") {
        reply = await send(agent, base, "GET", r2Path(key));
      } else if (operation === "kv list") {
        reply = await send(agent, base, "GET", `/client/v4/accounts/${ACCOUNT}/storage/kv/namespaces/${NAMESPACE}/keys?prefix=${encodeURIComponent(`c${index}/`)}&limit=100`);
      } else {
        reply = await send(agent, base, "GET", `/${BUCKET}?list-type=2&prefix=${encodeURIComponent(`c${index}/`)}&max-keys=100`);
      }
    } catch (error) {
      result.errors.push(`${operation} ${key}: ${(error as Error).message}`);
      continue;
    }
    const latency = performance.now() - start;
    result.latencies.get(operation)!.push(latency);
    const store = operation.startsWith("kv") ? "kv" : "r2";
    const expected = result.acknowledged.get(`${store} ${key}`);
    if (body !== undefined) {
      if (reply.status >= 200 && reply.status < 300) result.acknowledged.set(`${store} ${key}`, sha1(body));
      else result.errors.push(`${operation} ${key}: HTTP ${reply.status} ${reply.body.toString("utf8", 0, 200)}`);
    } else if (operation.endsWith("get")) {
      // Read-your-writes: this client's last acknowledged write, or 404 before the first.
      if (expected === undefined ? reply.status !== 404 : reply.status !== 200 || sha1(reply.body) !== expected) {
        result.errors.push(`${operation} ${key}: HTTP ${reply.status}, ${expected === undefined ? "expected 404" : "not the last acknowledged value"}`);
      }
    } else if (reply.status !== 200) {
      result.errors.push(`${operation}: HTTP ${reply.status} ${reply.body.toString("utf8", 0, 200)}`);
    }
  }
}

/** Creates the namespace and the bucket, so a list before the first write is an empty list, not a 404. */
async function createNamespaceAndBucket(url: string): Promise<void> {
  const agent = new Agent();
  const base = new URL(url);
  const namespace = await send(agent, base, "POST", `/client/v4/accounts/${ACCOUNT}/storage/kv/namespaces`, Buffer.from(JSON.stringify({ title: NAMESPACE })));
  const bucket = await send(agent, base, "PUT", `/${BUCKET}`, Buffer.alloc(0));
  agent.destroy();
  if (namespace.status !== 200 || bucket.status !== 200) throw new Error(`setup failed: namespace ${namespace.status}, bucket ${bucket.status}`);
}

async function runLoad(url: string, seconds: number): Promise<RunResult> {
  const base = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const pool = randomBytes(4 * 1024 * 1024);
  const result: RunResult = { seconds, latencies: new Map(MIX.map(([operation]) => [operation, []])), errors: [], acknowledged: new Map() };
  const until = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: CLIENTS }, (_, index) => client(index, base, agent, until, pool, result)));
  agent.destroy();
  return result;
}

/** Reads back every acknowledged write; returns the keys whose value is missing or different. */
async function verify(url: string, acknowledged: Map<string, string>): Promise<string[]> {
  const base = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const lost: string[] = [];
  const entries = [...acknowledged];
  for (let index = 0; index < entries.length; index += 8) {
    await Promise.all(
      entries.slice(index, index + 8).map(async ([storeKey, digest]) => {
        const [store, key] = storeKey.split(" ") as [string, string];
        const reply = await send(agent, base, "GET", store === "kv" ? kvPath(key) : r2Path(key));
        if (reply.status !== 200 || sha1(reply.body) !== digest) lost.push(storeKey);
      }),
    );
  }
  agent.destroy();
  return lost;
}

async function startChild(mode: "cellar" | "raw", root: string): Promise<{ url: string; child: ChildProcess }> {
  const script = fileURLToPath(new URL("./serve-load-child.ts", import.meta.url));
  const child = spawn(process.execPath, [...childNodeOptions(), script, mode, root], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`the ${mode} server exited with ${code} before listening`)));
  });
  return { url: (JSON.parse(first) as { url: string }).url, child };
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill(signal);
  await exited;
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}

function operations(result: RunResult): number {
  return [...result.latencies.values()].reduce((sum, list) => sum + list.length, 0);
}

export async function benchServeLoad(): Promise<void> {
  const seconds = Number(process.env.CELLAR_LOAD_SECONDS ?? 30);
  const root = await mkdtemp(join(tmpdir(), "cellar-bench-serve-"));
  try {
    // The raw limit first, for a third of the time: the same mix against node:http on a Map.
    const raw = await startChild("raw", root);
    const rawResult = await runLoad(raw.url, Math.max(3, seconds / 3));
    await stopChild(raw.child);

    const served = await startChild("cellar", root);
    await createNamespaceAndBucket(served.url);
    const result = await runLoad(served.url, seconds);
    const lost = await verify(served.url, result.acknowledged);
    // Killed, not stopped: an acknowledged write must already be on disk, not in the process.
    await stopChild(served.child, "SIGKILL");
    const restarted = await startChild("cellar", root);
    const lostAfterRestart = await verify(restarted.url, result.acknowledged);
    await stopChild(restarted.child);

    reportComparison({
      name: `cellar serve, ${CLIENTS} clients mixed KV/R2, ${seconds} s`,
      unit: "ops/s",
      ours: operations(result) / seconds,
      raw: operations(rawResult) / rawResult.seconds,
      rawLabel: "node:http on a Map",
    });
    for (const [operation, latencies] of result.latencies) {
      const sorted = [...latencies].sort((a, b) => a - b);
      reportFigure({
        name: `  ${operation} latency (${sorted.length} ops)`,
        value: `p50 ${percentile(sorted, 0.5).toFixed(1)} ms, p90 ${percentile(sorted, 0.9).toFixed(1)} ms, p99 ${percentile(sorted, 0.99).toFixed(1)} ms, max ${(sorted.at(-1) ?? Number.NaN).toFixed(1)} ms`,
      });
    }
    reportFigure({
      name: "  errors / writes lost",
      value: `${result.errors.length} errors; ${lost.length} of ${result.acknowledged.size} acknowledged keys lost, ${lostAfterRestart.length} after SIGKILL and a restart`,
      note: result.errors.length === 0 && lost.length === 0 && lostAfterRestart.length === 0 ? "ok" : "FAILED",
    });
    for (const error of result.errors.slice(0, 5)) console.log(`    ${error}`);
    for (const key of [...lost, ...lostAfterRestart].slice(0, 5)) console.log(`    lost: ${key}`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
