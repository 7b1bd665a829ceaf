import { existsSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import { idFromName } from "@cellar/metadata-store";
import { listDurableObjectIds } from "../layout.js";
import { OperationError } from "./cli-errors.js";
import { write, writeJson } from "./cli-io.js";
import { positionals, required, type CommandContext } from "./run-cli.js";

/** A stored value as JSON: structured-clone types become their nearest JSON form. */
function toJson(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Map) return Object.fromEntries([...value].map(([key, entry]) => [String(key), toJson(entry)]));
  if (value instanceof Set) return [...value].map(toJson);
  if (ArrayBuffer.isView(value)) return [...new Uint8Array(value.buffer, value.byteOffset, value.byteLength)];
  if (value instanceof ArrayBuffer) return [...new Uint8Array(value)];
  if (value instanceof RegExp || value instanceof Error) return String(value);
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, toJson(entry)]));
  return value;
}

/** `cellar do list|get`: reads only; an object's file is never created by looking at it. */
export async function runDurableObjects(context: CommandContext): Promise<void> {
  const { io, json } = context;
  const uniqueKey = required(context, "unique-key");
  const root = context.state.root!;
  if (context.subcommand === "list") {
    positionals(context, []);
    const ids = listDurableObjectIds(root, uniqueKey);
    if (json) await writeJson(io, ids);
    else await write(io.stdout, ids.map((id) => `${id}\n`).join(""));
    return;
  }
  const name = required(context, "name");
  const [key] = positionals(context, [], ["key"]);
  const id = idFromName(uniqueKey, name);
  if (!existsSync(join(root, "do", uniqueKey, `${id}.sqlite`))) {
    throw new OperationError(`no Durable Object named "${name}" in namespace "${uniqueKey}" (no file ${id}.sqlite)`, "ERR_NOT_FOUND");
  }
  const namespace = context.state.durableObjects(uniqueKey);
  const { storage } = namespace.get(namespace.idFromName(name));
  if (key !== undefined) {
    const value = await storage.get(key);
    if (value === undefined) throw new OperationError(`key "${key}" not found in Durable Object "${name}" of "${uniqueKey}"`, "ERR_NOT_FOUND");
    if (json) await writeJson(io, { key, value: toJson(value) });
    else await write(io.stdout, `${inspect(value, { depth: 8 })}\n`);
    return;
  }
  const entries = await storage.list();
  if (json) await writeJson(io, Object.fromEntries([...entries].map(([entryKey, value]) => [entryKey, toJson(value)])));
  else await write(io.stdout, [...entries].map(([entryKey, value]) => `${entryKey}\t${inspect(value, { depth: 8, breakLength: Infinity })}\n`).join(""));
}
