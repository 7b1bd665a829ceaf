import { realpathSync, statSync, readdirSync, type Dirent } from "node:fs";
import { open, readdir, readFile, realpath, stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";

/** A file or directory of a Workers Sites directory, resolved safely inside it. */
export interface SitesEntry {
  /** Absolute real path (symbolic links resolved), always inside the root. */
  readonly path: string;
  readonly kind: "file" | "directory";
}

/** Entry types of a directory listing, named as workerd's disk service names them. */
type ListingType = "file" | "directory" | "symlink" | "blockDevice" | "characterDevice" | "namedPipe" | "socket" | "other";

const STREAM_CHUNK_SIZE = 64 * 1024;

/**
 * The directory behind a Workers Sites namespace. Every path is resolved against the root's
 * real path and must stay inside it: `..` segments, absolute paths, NUL bytes and symbolic
 * links that lead out of the root all resolve to nothing. Dotfiles (any segment starting with
 * `.`) are hidden, as workerd's disk service hides them.
 */
export class SitesDirectory {
  /** The root's real path. */
  readonly root: string;

  /** @throws {TypeError} when `root` is not an existing directory */
  constructor(root: string) {
    let real: string;
    try {
      real = realpathSync(resolve(root));
    } catch (error) {
      throw new TypeError(`Workers Sites root ${root} does not exist`, { cause: error });
    }
    if (!statSync(real).isDirectory()) throw new TypeError(`Workers Sites root ${root} is not a directory`);
    this.root = real;
  }

  /** The entry at relative POSIX `path` (`""` is the root itself), or `undefined`. */
  async resolve(path: string): Promise<SitesEntry | undefined> {
    if (path.includes("\0") || (sep === "\\" && path.includes("\\"))) return undefined;
    const segments = path.split("/").filter((segment) => segment !== "");
    if (segments.some((segment) => segment.startsWith("."))) return undefined;
    const joined = join(this.root, ...segments);
    try {
      const real = await realpath(joined);
      if (!this.#contains(real)) return undefined;
      const stats = await stat(real);
      if (stats.isFile()) return { path: real, kind: "file" };
      if (stats.isDirectory()) return { path: real, kind: "directory" };
      return undefined;
    } catch {
      // Missing, or unreadable: either way there is nothing to serve.
      return undefined;
    }
  }

  /** A file's bytes. */
  async readFile(entry: SitesEntry): Promise<Uint8Array> {
    return new Uint8Array(await readFile(entry.path));
  }

  /** A file as a stream read chunk by chunk; the file is opened now and closed at the end or on cancel. */
  async openStream(entry: SitesEntry): Promise<ReadableStream<Uint8Array>> {
    const handle = await open(entry.path, "r");
    let position = 0;
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const chunk = new Uint8Array(STREAM_CHUNK_SIZE);
          const { bytesRead } = await handle.read(chunk, 0, chunk.byteLength, position);
          if (bytesRead === 0) {
            await handle.close();
            controller.close();
            return;
          }
          position += bytesRead;
          controller.enqueue(chunk.subarray(0, bytesRead));
        } catch (error) {
          await handle.close().catch(() => {});
          throw error;
        }
      },
      async cancel() {
        await handle.close();
      },
    });
  }

  /** A directory's listing as workerd's disk service gives it: JSON `[{ name, type }]`, dotfiles hidden. */
  async listing(entry: SitesEntry): Promise<string> {
    const entries = await readdir(entry.path, { withFileTypes: true });
    const visible = entries
      .filter((dirent) => !dirent.name.startsWith("."))
      .map((dirent) => ({ name: dirent.name, type: listingType(dirent) }))
      .sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
    return JSON.stringify(visible);
  }

  /**
   * Every file under the root, as relative POSIX paths in a stable order. Symbolic links count
   * when they lead to a file inside the root; linked directories are not followed, so a cycle
   * cannot trap the walk.
   *
   * @param includeHidden whether dotfiles and dot-directories are walked (the manifest includes
   * them; `list` does not)
   */
  walk(includeHidden: boolean): string[] {
    const files: string[] = [];
    const visit = (directory: string, prefix: string): void => {
      const entries = readdirSync(directory, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const dirent of entries) {
        if (!includeHidden && dirent.name.startsWith(".")) continue;
        const path = prefix + dirent.name;
        const absolute = join(directory, dirent.name);
        if (dirent.isDirectory()) visit(absolute, `${path}/`);
        else if (dirent.isFile() || (dirent.isSymbolicLink() && this.#isFileInside(absolute))) files.push(path);
      }
    };
    visit(this.root, "");
    return files;
  }

  #isFileInside(path: string): boolean {
    try {
      const real = realpathSync(path);
      return this.#contains(real) && statSync(real).isFile();
    } catch {
      return false;
    }
  }

  #contains(real: string): boolean {
    const inside = relative(this.root, real);
    return inside === "" || (inside !== ".." && !inside.startsWith(`..${sep}`) && !isAbsolute(inside));
  }
}

function listingType(dirent: Dirent): ListingType {
  if (dirent.isFile()) return "file";
  if (dirent.isDirectory()) return "directory";
  if (dirent.isSymbolicLink()) return "symlink";
  if (dirent.isBlockDevice()) return "blockDevice";
  if (dirent.isCharacterDevice()) return "characterDevice";
  if (dirent.isFIFO()) return "namedPipe";
  if (dirent.isSocket()) return "socket";
  return "other";
}
