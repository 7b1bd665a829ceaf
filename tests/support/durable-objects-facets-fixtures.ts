import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DescribeDurableObjectFacetsOptions, DurableObjectFacetsFixture, FacetsInspect, FacetsNamespaceLike, FacetStorageLike } from "@cellar/conformance";
import { createDurableObjectNamespace, type CellarDurableObjectNamespace } from "@cellar/durable-objects";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { backendName, engineOf, type Backend } from "./backends.ts";

export const FACETS_UNIQUE_KEY = "-TestFacetRoot";

/** How a broken implementation may stand in for the real one. */
export interface FacetsFixtureBreakage {
  /** Replaces every root object's storage. */
  readonly wrap?: (storage: FacetStorageLike) => FacetStorageLike;
  /** Runs on the namespace directory after the close and before the reopen. */
  readonly beforeReopen?: (namespaceDirectory: string) => Promise<void>;
}

/** A namespace on `backend`, in a temp directory (file) or in memory, with the backdoor the facets suite reads files through. */
export async function openDurableObjectFacetsFixture(backend: Backend, breakage: FacetsFixtureBreakage = {}): Promise<DurableObjectFacetsFixture> {
  const engine = await engineOf(backend);
  const dir = backend.database === "file" ? await mkdtemp(join(tmpdir(), "cellar-do-facets-")) : undefined;
  const namespaceDirectory = dir === undefined ? undefined : join(dir, FACETS_UNIQUE_KEY);
  let current!: CellarDurableObjectNamespace;
  const open = (): FacetsNamespaceLike => {
    current = createDurableObjectNamespace({ uniqueKey: FACETS_UNIQUE_KEY, engine, directory: dir });
    const wrap = breakage.wrap;
    if (wrap === undefined) return current;
    const ns = current;
    return {
      idFromName: (name) => ns.idFromName(name),
      get: (id) => {
        const handle = ns.get(ns.idFromString(id.toString()));
        return { id: handle.id, storage: wrap(handle.storage) };
      },
    };
  };
  const namespace = open();
  return {
    namespace,
    reopen:
      namespaceDirectory === undefined
        ? undefined
        : async () => {
            await current.close();
            await breakage.beforeReopen?.(namespaceDirectory);
            return open();
          },
    inspect: namespaceDirectory === undefined ? undefined : inspectDirectory(namespaceDirectory),
    async cleanup() {
      await current.close();
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Reads and writes the namespace directory directly; databases through better-sqlite3 connections of their own. */
function inspectDirectory(directory: string): FacetsInspect {
  return {
    files: async () => (existsSync(directory) ? (await readdir(directory)).sort() : []),
    readFile: async (name) => (existsSync(join(directory, name)) ? new Uint8Array(await readFile(join(directory, name))) : null),
    async writeFile(name, bytes) {
      await mkdir(directory, { recursive: true });
      await writeFile(join(directory, name), bytes);
    },
    async kvKeys(name) {
      const location = join(directory, name);
      if (!existsSync(location)) return null;
      const db = createSqliteEngine().open(location);
      try {
        if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = '_cf_KV'").get() === undefined) return [];
        return db.prepare<{ key: string }>("SELECT key FROM _cf_KV ORDER BY key").all().map((row) => row.key);
      } finally {
        db.close();
      }
    },
  };
}

export function durableObjectFacetsSuiteOptions(backend: Backend): DescribeDurableObjectFacetsOptions {
  return {
    name: backendName(backend, { blobs: false }),
    capabilities: { persistent: backend.database === "file" },
    create: () => openDurableObjectFacetsFixture(backend),
  };
}
