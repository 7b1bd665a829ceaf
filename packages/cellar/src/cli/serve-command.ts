import { mkdirSync } from "node:fs";
import { startServer } from "../server/cellar-server.js";
import { UsageError } from "./cli-errors.js";
import { write, writeJson } from "./cli-io.js";
import { integerOption, positionals, type CommandContext } from "./run-cli.js";

/** Resolves when the process is asked to stop: the io's signal in tests, SIGINT or SIGTERM otherwise. */
function untilStopped(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal !== undefined) {
      if (signal.aborted) resolve();
      else signal.addEventListener("abort", () => resolve(), { once: true });
      return;
    }
    // The listeners stay while the server shuts down: Ctrl+C reaches every process of the group,
    // and a runner such as tsx or pnpm relays it once more, so one key press can arrive twice.
    // Shutdown is bounded (see `CellarServer.close`), so there is no need for a forced second stop.
    const stop = (): void => resolve();
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

/** S3 credentials from the options or the environment: both parts, or neither. */
function s3Credentials(context: CommandContext): { accessKeyId: string; secretAccessKey: string } | undefined {
  const accessKeyId = context.values["s3-access-key-id"] ?? process.env.CELLAR_S3_ACCESS_KEY_ID;
  const secretAccessKey = context.values["s3-secret-access-key"] ?? process.env.CELLAR_S3_SECRET_ACCESS_KEY;
  if (accessKeyId === undefined && secretAccessKey === undefined) return undefined;
  if (!accessKeyId || !secretAccessKey) {
    throw new UsageError("S3 credentials need both --s3-access-key-id and --s3-secret-access-key (or CELLAR_S3_ACCESS_KEY_ID and CELLAR_S3_SECRET_ACCESS_KEY)", "serve");
  }
  return { accessKeyId, secretAccessKey };
}

/** `cellar serve`: the state over HTTP (S3 for R2, Cloudflare's API shape for KV and D1) until stopped. */
export async function runServe(context: CommandContext): Promise<void> {
  const { io, json } = context;
  positionals(context, []);
  const port = integerOption(context, "port") ?? 8787;
  if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`, "serve");
  const host = context.values.host ?? "127.0.0.1";
  const credentials = s3Credentials(context);
  const { state } = context;
  // The root exists from the start, so a user who looks finds it, and wrangler's layout grows in it.
  if (state.root !== undefined) mkdirSync(state.root, { recursive: true });
  let server;
  try {
    server = await startServer({ state, host, port, ...(credentials === undefined ? {} : { s3Credentials: credentials }) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw Object.assign(new Error(`port ${port} on ${host} is in use (pass --port, or --port 0 for a free one)`), { code });
    throw error;
  }
  const { url } = server;
  const endpoints = {
    url,
    root: state.root,
    engine: state.engine.name,
    s3: url,
    api: `${url}/client/v4`,
    health: `${url}/_cellar/health`,
    s3Auth: credentials === undefined ? "any credentials" : "SigV4 with the given credentials",
  };
  if (json) {
    await writeJson(io, endpoints);
  } else {
    await write(
      io.stdout,
      `cellar serve: ${url}  (root ${state.root}, ${state.engine.name})\n` +
        `  S3 (R2 buckets):  ${endpoints.s3}  path-style, ${endpoints.s3Auth}\n` +
        `  KV and D1 API:    ${endpoints.api}/accounts/<any>/storage/kv/namespaces, …/d1/database\n` +
        `  health:           ${endpoints.health}\n` +
        `Press Ctrl+C to stop.\n`,
    );
  }
  await untilStopped(io.stopSignal);
  await server.close();
  if (!json) await write(io.stdout, "cellar serve: stopped\n");
}
