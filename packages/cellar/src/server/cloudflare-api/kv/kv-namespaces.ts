import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { namespaceBlobDirectory } from "@cellar/blob-store";
import type { CellarKVNamespace } from "@cellar/kv";
import { objectDatabasePath } from "@cellar/metadata-store";
import type { CellarState } from "../../../open-state.js";
import { API_ERROR_CODES } from "../api-error-codes.js";
import { CloudflareApiError } from "../api-error.js";
import { namespaceNotFound } from "./kv-api-errors.js";

/*
 * Which KV namespaces exist. Locally a namespace is its id: there is nowhere to keep a separate
 * title without adding files to wrangler's layout, so the title *is* the id, both when listing and
 * when creating (`POST {"title":"cache"}` creates the namespace with id `cache`, the id to put in
 * `wrangler.toml`).
 */

/** The namespace as the API shows it. */
export interface KVNamespaceInfo {
  readonly id: string;
  readonly title: string;
  /** Key names in paths are always percent-decoded here, as for namespaces created with this flag. */
  readonly supports_url_encoding: true;
}

export function namespaceInfo(id: string): KVNamespaceInfo {
  return { id, title: id, supports_url_encoding: true };
}

/**
 * Namespaces known to exist, per state: a namespace never stops existing while the server runs,
 * so the directory scan behind `namespaceExists` runs once per id, not on every request.
 */
const knownNamespaces = new WeakMap<CellarState, Set<string>>();

function known(state: CellarState): Set<string> {
  let ids = knownNamespaces.get(state);
  if (ids === undefined) knownNamespaces.set(state, (ids = new Set()));
  return ids;
}

/**
 * True when the state knows the namespace: used in this process, found under the root by its blob
 * directory, or with a database file under the root (a namespace `wrangler dev` opened but never
 * wrote to). Checking does not create anything.
 */
export function namespaceExists(state: CellarState, id: string): boolean {
  if (known(state).has(id)) return true;
  const exists = state.names("kv").includes(id) || (state.root !== undefined && existsSync(objectDatabasePath(state.root, "kv", id)));
  if (exists) known(state).add(id);
  return exists;
}

/** The namespace for a read on `:namespace_id`, or `404 10013` for an unknown id (nothing is created). */
export function existingNamespace(state: CellarState, id: string): CellarKVNamespace {
  if (!namespaceExists(state, id)) throw namespaceNotFound();
  return state.kv(id);
}

/**
 * The namespace for a write on `:namespace_id`, created if it does not exist yet: locally, as in
 * `wrangler dev`, a namespace id is usable as soon as it is bound, so seeding one needs no
 * separate create call. Under a root its blob directory is made at once, so the namespace is
 * listed after a restart even before its first blob.
 */
export async function namespaceForWrite(state: CellarState, id: string): Promise<CellarKVNamespace> {
  if (!namespaceExists(state, id)) {
    if (state.root !== undefined) await mkdir(namespaceBlobDirectory(state.root, "kv", id), { recursive: true });
    known(state).add(id);
  }
  return state.kv(id);
}

/**
 * Creates a namespace whose id is `title`: `400 10014` when it exists. Under a root its blob
 * directory is created too, which is how an empty namespace is still listed after a restart.
 */
export async function createNamespace(state: CellarState, title: string): Promise<KVNamespaceInfo> {
  if (namespaceExists(state, title)) {
    throw new CloudflareApiError(400, API_ERROR_CODES.kvNamespaceExists, "a namespace with this account ID and title already exists");
  }
  await namespaceForWrite(state, title);
  return namespaceInfo(title);
}
