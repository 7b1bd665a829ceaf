import { readdirSync } from "node:fs";
import { join } from "node:path";
import { deleteAllDurableObjects } from "@cellar/durable-objects";
import { listDurableObjectIds } from "../layout.js";
import { write, writeJson } from "./cli-io.js";
import { positionals, type CommandContext } from "./run-cli.js";

/** The namespace directories under `<root>/do`: every unique key with stored objects or a schedule. */
function namespaceDirectories(root: string): string[] {
  try {
    return readdirSync(join(root, "do"), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/**
 * `cellar do delete-all [--unique-key <key>]`: deletes every object (and facet, and alarm) of one
 * namespace, or of every namespace under the root, tombstone first, as `deleteAll()` does.
 */
export async function runDeleteAll(context: CommandContext): Promise<void> {
  const { io, json, state } = context;
  positionals(context, []);
  const root = state.root!;
  const uniqueKey = context.values["unique-key"];
  const uniqueKeys = uniqueKey === undefined ? namespaceDirectories(root) : [uniqueKey];
  const counts = uniqueKeys.map((key) => ({ uniqueKey: key, deletedObjects: listDurableObjectIds(root, key).length }));
  await deleteAllDurableObjects(uniqueKeys.map((key) => state.durableObjects(key)));
  if (json) await writeJson(io, counts);
  else await write(io.stdout, counts.map(({ uniqueKey: key, deletedObjects }) => `Deleted ${deletedObjects} object${deletedObjects === 1 ? "" : "s"} of namespace "${key}"\n`).join("") || "No Durable Object namespaces under the root\n");
}
