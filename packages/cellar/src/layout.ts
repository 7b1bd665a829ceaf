import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
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
 * The file, inside a namespace's directory (`<product>/<sanitisePath(name)>/`), that records the
 * names `sanitisePath` changed, one per line, so `gc` and `names()` can map the database file back
 * in a later process. A dotfile: `sanitisePath` never produces a leading dot, so it cannot collide
 * with a namespace's own files, and Miniflare's disk service ignores it.
 */
export const NAME_RECORD_FILE = ".cellar-names";

function recordedNames(directory: string): string[] {
  try {
    return readFileSync(join(directory, NAME_RECORD_FILE), "utf8").split("\n").filter((line) => line !== "");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/**
 * Records `name` beside its blobs when `sanitisePath` changes it (a name it leaves alone is its
 * own directory's name, and needs no record). Written to a temporary file and renamed, so a crash
 * leaves the old record or the new one. Several names can share a directory (`a:b` and `a?b`).
 */
export function recordNamespaceName(root: string, product: BlobProduct, name: string): void {
  const directoryName = sanitisePath(name);
  if (directoryName === name || candidateNames(product, directoryName).includes(name)) return;
  const directory = join(root, product, directoryName);
  const names = recordedNames(directory);
  if (names.includes(name)) return;
  mkdirSync(directory, { recursive: true });
  const file = join(directory, NAME_RECORD_FILE);
  writeFileSync(`${file}.tmp`, [...names, name].map((line) => `${line}\n`).join(""));
  renameSync(`${file}.tmp`, file);
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
 * known: from a blob directory `<root>/<product>/<dir>/blobs` whose candidate name (the
 * directory's own, or one recorded in its {@link NAME_RECORD_FILE}) hashes to the file, or from
 * `knownNames` (names used in this process).
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
    const hasBlobs = existsSync(blobs) && statSync(blobs).isDirectory();
    const recorded = recordedNames(join(root, product, directory));
    if (!hasBlobs && recorded.length === 0) continue;
    for (const name of [...(hasBlobs ? candidateNames(product, directory) : []), ...recorded]) if (sanitisePath(name) === directory) consider(name);
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
