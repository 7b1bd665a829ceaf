import type { ListRequest } from "./list-options.js";
import type { ObjectRecord, ObjectsTable } from "./objects-table.js";
import { compareUtf8, prefixUpperBound } from "@cellar/metadata-store";

/** One page of a listing. */
export interface ListPage {
  readonly objects: ObjectRecord[];
  readonly delimitedPrefixes: string[];
  /** Present exactly when more entries follow: base64 of the last key the page covered. */
  readonly cursor: string | undefined;
}

type Entry = { readonly object: ObjectRecord; readonly last: string } | { readonly prefix: string; readonly last: string };

/** A cursor: the base64 of the UTF-8 bytes of the last key a page covered ("start after this key"). */
export function encodeListCursor(lastKey: string): string {
  return Buffer.from(lastKey, "utf8").toString("base64");
}

/** The key a cursor starts after. A malformed cursor decodes to some key and raises no error, as in Miniflare. */
export function decodeListCursor(cursor: string): string {
  return Buffer.from(cursor, "base64").toString("utf8");
}

/**
 * Lists one page (spec r2.md §3): keys in UTF-8 byte order that start with `prefix` byte for
 * byte, after `startAfter` or the cursor's key (whichever is later), at most `limit` entries.
 *
 * With a delimiter, every key holding it after the prefix is folded into its group, `prefix` +
 * everything up to and including the first delimiter. A group counts as one entry, sorts where
 * its keys are, and ends at its greatest key, which is also the cursor after it, so the next page
 * skips the whole group. Groups are found with index seeks (the group's greatest key is a
 * `max()` over its key range), so a page costs its entries, not the keys they stand for.
 * `limit + 1` entries are read to know whether the listing is truncated.
 */
export function listObjects(objects: ObjectsTable, request: ListRequest, limit: number): ListPage {
  const { prefix, delimiter } = request;
  let after = request.startAfter;
  if (request.cursor !== undefined) {
    const cursorKey = decodeListCursor(request.cursor);
    if (after === undefined || compareUtf8(cursorKey, after) > 0) after = cursorKey;
  }
  let lower = prefix;
  let inclusive = true;
  if (after !== undefined && compareUtf8(after, prefix) >= 0) {
    lower = after;
    inclusive = false;
  }
  const upper = prefixUpperBound(prefix);
  const entries: Entry[] =
    delimiter === undefined
      ? objects.list(lower, inclusive, upper, limit + 1).map((object) => ({ object, last: object.key }))
      : groupedEntries(objects, { prefix, delimiter, lower, inclusive, upper, limit });
  const truncated = entries.length > limit;
  if (truncated) entries.length = limit;
  const page: ListPage = {
    objects: [],
    delimitedPrefixes: [],
    cursor: truncated ? encodeListCursor(entries[entries.length - 1]!.last) : undefined,
  };
  for (const entry of entries) {
    if ("object" in entry) page.objects.push(entry.object);
    else page.delimitedPrefixes.push(entry.prefix);
  }
  return page;
}

function groupedEntries(
  objects: ObjectsTable,
  scan: { prefix: string; delimiter: string; lower: string; inclusive: boolean; upper: string | undefined; limit: number },
): Entry[] {
  const entries: Entry[] = [];
  let { lower, inclusive } = scan;
  while (entries.length <= scan.limit) {
    let group: string | undefined;
    // Iterate lazily and stop at the first key of a group: its greatest key needs another
    // statement, which must not run while this one is open.
    for (const object of objects.iterate(lower, inclusive, scan.upper)) {
      const at = object.key.indexOf(scan.delimiter, scan.prefix.length);
      if (at !== -1) {
        group = object.key.slice(0, at + scan.delimiter.length);
        break;
      }
      entries.push({ object, last: object.key });
      lower = object.key;
      inclusive = false;
      if (entries.length > scan.limit) break;
    }
    if (group === undefined) break;
    const last = objects.maxKey(group, prefixUpperBound(group))!;
    entries.push({ prefix: group, last });
    lower = last;
    inclusive = false;
  }
  return entries;
}
