import { keyRange, type ListOptions } from "./key-range.js";
import type { KvTable } from "./kv-table.js";
import { MESSAGES } from "./messages.js";
import type { ObjectDatabase } from "./object-database.js";
import { checkEntry, checkKeyCount, type StorageMode } from "./storage-limits.js";
import { compareUtf8 } from "@cellar/metadata-store";
import { deserializeValue, serializeValue } from "./value-codec.js";

/** What the async KV calls share: the object's database, its `_cf_KV` rows and the limits in force. */
export interface KvContext {
  readonly object: ObjectDatabase;
  readonly table: KvTable;
  readonly mode: StorageMode;
}

/** `get(key)` / `get(keys)`: a value, or a Map in UTF-8 order without missing keys. */
export function getOperation(context: KvContext, keys: unknown): unknown {
  if (!Array.isArray(keys)) {
    const bytes = context.table.get(String(keys));
    return bytes === undefined ? undefined : deserializeValue(bytes);
  }
  checkKeyCount(context.mode, keys.length);
  const result = new Map<string, unknown>();
  for (const key of [...new Set(keys.map(String))].sort(compareUtf8)) {
    const bytes = context.table.get(key);
    if (bytes !== undefined) result.set(key, deserializeValue(bytes));
  }
  return result;
}

/** `put(key, value)` / `put(entries)`: everything is validated and serialized before the first write. */
export function putOperation(context: KvContext, keyOrEntries: unknown, value: unknown, hasValue: boolean): Promise<void> {
  let entries: [string, Uint8Array][];
  if (keyOrEntries !== null && typeof keyOrEntries === "object") {
    if (Array.isArray(keyOrEntries)) throw new TypeError(MESSAGES.putArguments);
    const pairs = Object.entries(keyOrEntries as Record<string, unknown>);
    checkKeyCount(context.mode, pairs.length);
    entries = pairs.filter(([, item]) => item !== undefined).map(([key, item]) => [key, serializeValue(item)]);
  } else {
    if (!hasValue || value === undefined) throw new TypeError(MESSAGES.putUndefined);
    entries = [[String(keyOrEntries), serializeValue(value)]];
  }
  for (const [key, bytes] of entries) checkEntry(context.mode, key, bytes);
  const committed = context.object.beginWrite();
  if (entries.length === 1) context.table.put(entries[0]![0], entries[0]![1]);
  else if (entries.length > 1) atomically(context.object, "_cf_put_multiple_savepoint", () => entries.forEach(([key, bytes]) => context.table.put(key, bytes)));
  return committed;
}

/** `delete(key)` → existed; `delete(keys)` → how many existed. */
export function deleteOperation(context: KvContext, keys: unknown): { result: boolean | number; committed: Promise<void> } {
  const list = Array.isArray(keys) ? keys.map(String) : [String(keys)];
  if (Array.isArray(keys)) checkKeyCount(context.mode, list.length);
  const committed = context.object.beginWrite();
  let count = 0;
  atomically(context.object, "_cf_delete_multiple_savepoint", () => {
    for (const key of list) if (context.table.delete(key)) count++;
  });
  return { result: Array.isArray(keys) ? count : count > 0, committed };
}

/** `list(options)` → Map in UTF-8 order (descending with `reverse`). */
export function listOperation(context: KvContext, options: ListOptions | undefined): Map<string, unknown> {
  const range = keyRange(options ?? {});
  return new Map(context.table.list(range).map(([key, bytes]) => [key, deserializeValue(bytes)]));
}

/** Runs `fn` in a named savepoint: all of it lands, or none of it. */
export function atomically(object: ObjectDatabase, name: string, fn: () => void): void {
  const db = object.db;
  db.exec(`SAVEPOINT ${name}`);
  try {
    fn();
  } catch (error) {
    db.exec(`ROLLBACK TO ${name}`);
    db.exec(`RELEASE ${name}`);
    throw error;
  }
  db.exec(`RELEASE ${name}`);
}
