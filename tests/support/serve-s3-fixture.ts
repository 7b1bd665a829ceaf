import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import * as clientS3 from "@aws-sdk/client-s3";
import { openState, startServer, type CellarServer, type CellarState, type ServeOptions } from "cellar";

/** A running `cellar serve` on a fresh state, with an S3 client pointed at it. */
export interface ServeS3Fixture {
  readonly state: CellarState;
  readonly server: CellarServer;
  readonly s3: S3Client;
  /** A client for another endpoint or other credentials on the same server. */
  client(options?: { endpoint?: string; accessKeyId?: string; secretAccessKey?: string }): S3Client;
  close(): Promise<void>;
}

export interface ServeS3FixtureOptions extends Omit<ServeOptions, "state" | "port"> {
  /** Keep the state in memory instead of a temporary root. */
  readonly memory?: boolean;
}

/** Opens a state (a temporary root unless `memory`), serves it on a free port, and returns an S3 client set up as for R2. */
export async function startServeS3(options: ServeS3FixtureOptions = {}): Promise<ServeS3Fixture> {
  const root = options.memory ? undefined : await mkdtemp(join(tmpdir(), "cellar-serve-s3-"));
  const state = await openState(root === undefined ? {} : { root });
  const server = await startServer({ ...options, state, port: 0 });
  const clients: S3Client[] = [];
  const client = (overrides: { endpoint?: string; accessKeyId?: string; secretAccessKey?: string } = {}): S3Client => {
    const s3 = new clientS3.S3Client({
      endpoint: overrides.endpoint ?? server.url,
      forcePathStyle: true,
      region: "auto",
      credentials: {
        accessKeyId: overrides.accessKeyId ?? options.s3Credentials?.accessKeyId ?? "any-key",
        secretAccessKey: overrides.secretAccessKey ?? options.s3Credentials?.secretAccessKey ?? "any-secret",
      },
      maxAttempts: 1,
    });
    clients.push(s3);
    return s3;
  };
  const s3 = client();
  return {
    state,
    server,
    s3,
    client,
    async close() {
      for (const each of clients) each.destroy();
      await server.close();
      await state.close();
      if (root !== undefined) await rm(root, { recursive: true, force: true });
    },
  };
}
