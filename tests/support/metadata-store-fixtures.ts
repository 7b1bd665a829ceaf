import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MetadataStoreFixture } from "@cellar/conformance";
import type { SqlEngine, SqlEngineCapabilities } from "@cellar/metadata-store";

/** A fresh temporary directory for test databases. */
export async function makeTempDir(prefix = "cellar-metadata-"): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/**
 * A fixture whose databases are files in a fresh temporary directory, removed on cleanup.
 * `inspect` (optional) opens locations through an independent engine, e.g. native SQLite reading
 * what the wasm engine wrote.
 */
export async function fileFixture(engine: SqlEngine, inspect?: () => SqlEngine): Promise<MetadataStoreFixture> {
  const dir = await makeTempDir();
  return {
    engine,
    location: (name) => join(dir, `${name}.sqlite`),
    cleanup: () => rm(dir, { recursive: true, force: true }),
    ...(inspect === undefined ? {} : { inspect: { open: (location: string) => inspect().open(location) } }),
  };
}

/** Capabilities of an engine used only with `":memory:"`: nothing reaches a file. */
export function memoryCapabilities(engine: SqlEngine): SqlEngineCapabilities {
  return { ...engine.capabilities, persistent: false, multiProcess: false, walFiles: false };
}

/**
 * The same engine, declaring only what it can do in memory, so the suite runs its memory-only
 * tests on the real databases without expecting files.
 */
export function memoryView(engine: SqlEngine): SqlEngine {
  return {
    name: `${engine.name} (memory)`,
    capabilities: memoryCapabilities(engine),
    open: (location) => engine.open(location),
    remove: (location) => engine.remove(location),
  };
}

/** A fixture where every database is a private `":memory:"` one. */
export function memoryFixture(engine: SqlEngine): MetadataStoreFixture {
  return { engine: memoryView(engine), location: () => ":memory:", cleanup: async () => undefined };
}
