import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Cloudflare, { APIError } from "cloudflare";
import { openState, startServer, type CellarServer, type CellarState } from "cellar";
import { expect } from "vitest";

/** The account id in every path: the server accepts any. */
export const ACCOUNT = "0123456789abcdef0123456789abcdef";

/** A running `cellar serve` over a fresh state, the `cloudflare` client pointed at it, and a test clock. */
export interface ServeApiFixture {
  readonly state: CellarState;
  readonly server: CellarServer;
  readonly client: Cloudflare;
  /** `<server>/client/v4`. */
  readonly api: string;
  /** The clock the state and the server share, in epoch ms; move it with `advance`. */
  now(): number;
  advance(ms: number): void;
  close(): Promise<void>;
}

/** Where a fixture keeps its state: a temporary persist root, or memory. */
export type ServeApiBackend = "files" | "memory";

export async function openServeApiFixture(backend: ServeApiBackend): Promise<ServeApiFixture> {
  let now = Date.UTC(2030, 0, 1);
  const clock = { now: () => now };
  const root = backend === "files" ? await mkdtemp(join(tmpdir(), "cellar-serve-api-")) : undefined;
  const state = await openState({ ...(root === undefined ? {} : { root }), clock });
  const server = await startServer({ state, port: 0, clock });
  const api = `${server.url}/client/v4`;
  // No retries: a 5xx must fail the test at once rather than be retried with backoff.
  const client = new Cloudflare({ apiToken: "x", baseURL: api, maxRetries: 0 });
  return {
    state,
    server,
    client,
    api,
    now: () => now,
    advance(ms) {
      now += ms;
    },
    async close() {
      await server.close();
      await state.close();
      if (root !== undefined) await rm(root, { recursive: true, force: true });
    },
  };
}

/** The path of a KV namespace, under `/client/v4`. */
export function kvPath(api: string, namespaceId: string, rest = ""): string {
  return `${api}/accounts/${ACCOUNT}/storage/kv/namespaces/${encodeURIComponent(namespaceId)}${rest}`;
}

/** The path of a D1 database, under `/client/v4`. */
export function d1Path(api: string, databaseId: string, rest = ""): string {
  return `${api}/accounts/${ACCOUNT}/d1/database/${encodeURIComponent(databaseId)}${rest}`;
}

/** Cloudflare's failure envelope, checked whole: `success: false`, one error, `result: null`. */
export async function expectEnvelopeError(response: Response, status: number, code: number, message?: string | RegExp): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = (await response.json()) as { success: boolean; errors: { code: number; message: string }[]; messages: unknown[]; result: unknown };
  expect(body).toMatchObject({ success: false, messages: [], result: null });
  expect(body.errors).toHaveLength(1);
  expect(body.errors[0]!.code).toBe(code);
  if (typeof message === "string") expect(body.errors[0]!.message).toBe(message);
  else if (message !== undefined) expect(body.errors[0]!.message).toMatch(message);
}

/** Expects the `cloudflare` client's call to fail with this status and Cloudflare error code. */
export async function expectClientError(call: Promise<unknown>, status: number, code: number, message?: string | RegExp): Promise<void> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(APIError);
  const apiError = error as APIError;
  expect(apiError.status).toBe(status);
  const errors = apiError.errors as { code: number; message: string }[];
  expect(errors[0]?.code).toBe(code);
  if (typeof message === "string") expect(errors[0]?.message).toBe(message);
  else if (message !== undefined) expect(errors[0]?.message).toMatch(message);
}

/** Sends JSON with `fetch`. */
export function sendJson(url: string, method: string, body: unknown): Promise<Response> {
  return fetch(url, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}
