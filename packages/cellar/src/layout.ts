import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { sanitisePath } from "@cellar/blob-store";
import { OBJECT_CLASS, objectDatabasePath } from "@cellar/metadata-store";

/** The products whose namespaces keep blobs, and so have something for `gc` to sweep. */
export type BlobProduct = "kv" | "r2" | "cache";

/** One namespace database found under a persist root. */
export interface FoundNamespace {
  readonly product: BlobProduct;
  /** The database file, `<root>/<product>/miniflare-<Class>/<id>.sqlite`. */
  readonly file: string;
  /** The namespace's name when a blob directory (or a name used in this process) maps to the file. */
  readonly name: string | undefined;
}

function directoriesIn(path: string): string[] {
  try {
    return readdirSync(path, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/**
 * Names a blob directory could belong to. A database file is named by a one-way hash of the
 * namespace name, so the only names to try are the blob directories' own (`sanitisePath` leaves
 * most names unchanged) and, for caches, `named:<rest>` for a directory `named_<rest>`.
 */
function candidateNames(product: BlobProduct, directory: string): string[] {
  if (product !== "cache") return [directory];
  if (directory === "default") return ["default"];
  return directory.startsWith("named_") ? [`named:${directory.slice("named_".length)}`] : [];
}

/**
 * Every KV, R2 and Cache namespace database under `root`, with the name each maps to when one is
 * known: from a blob directory `<root>/<product>/<dir>/blobs` whose candidate name hashes to the
 * file, or from `knownNames` (names used in this process, which also covers names `sanitisePath`
 * changed).
 */
export function findNamespaces(root: string, product: BlobProduct, knownNames: Iterable<string>): FoundNamespace[] {
  const classDirectory = join(root, product, OBJECT_CLASS[product]);
  let files: string[];
  try {
    files = readdirSync(classDirectory).filter((file) => file.endsWith(".sqlite") && file !== "metadata.sqlite");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const names = new Map<string, string>();
  const consider = (name: string): void => {
    const file = objectDatabasePath(root, product, name);
    if (!names.has(file)) names.set(file, name);
  };
  for (const name of knownNames) consider(name);
  for (const directory of directoriesIn(join(root, product))) {
    if (directory.startsWith("miniflare-")) continue;
    const blobs = join(root, product, directory, "blobs");
    if (!existsSync(blobs) || !statSync(blobs).isDirectory()) continue;
    for (const name of candidateNames(product, directory)) if (sanitisePath(name) === directory) consider(name);
  }
  return files.sort().map((file) => {
    const path = join(classDirectory, file);
    return { product, file: path, name: names.get(path) };
  });
}

/** The ids of the Durable Objects stored in `<root>/do/<uniqueKey>/` (facet files and metadata.sqlite excluded). */
export function listDurableObjectIds(root: string, uniqueKey: string): string[] {
  const directory = join(root, "do", uniqueKey);
  try {
    return readdirSync(directory)
      .map((file) => /^([0-9a-f]{64})\.sqlite$/.exec(file)?.[1])
      .filter((id): id is string => id !== undefined)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}
