import type { CloudflareApiError } from "./api-error.js";

/** How one product pages its collections (`?page=&per_page=`), and the errors it answers. */
export interface PagingRules {
  readonly defaultPerPage: number;
  readonly minPerPage: number;
  readonly maxPerPage: number;
  badPage(value: string): CloudflareApiError;
  badPerPage(value: string): CloudflareApiError;
}

/** One page of a collection, with the `result_info` Cloudflare sends for it. */
export interface Page<Item> {
  readonly items: Item[];
  readonly resultInfo: { page: number; per_page: number; count: number; total_count: number; total_pages: number };
}

function positiveInteger(value: string): number | undefined {
  return /^\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * Cuts one page out of `all` by `page` (from 1) and `per_page`. A page past the end is empty, as
 * Cloudflare answers it; the `cloudflare` client stops iterating at the first empty page.
 */
export function pageOf<Item>(all: readonly Item[], query: URLSearchParams, rules: PagingRules): Page<Item> {
  const pageText = query.get("page");
  const perPageText = query.get("per_page");
  const page = pageText === null ? 1 : positiveInteger(pageText);
  if (page === undefined || page < 1) throw rules.badPage(pageText ?? "");
  const perPage = perPageText === null ? rules.defaultPerPage : positiveInteger(perPageText);
  if (perPage === undefined || perPage < rules.minPerPage || perPage > rules.maxPerPage) throw rules.badPerPage(perPageText ?? "");
  const items = all.slice((page - 1) * perPage, page * perPage);
  return {
    items,
    resultInfo: { page, per_page: perPage, count: items.length, total_count: all.length, total_pages: Math.ceil(all.length / perPage) },
  };
}

/** Ids sorted by code unit, reversed for `direction=desc`, as the list endpoints accept. */
export function sortIds(ids: readonly string[], direction: string | null): string[] {
  const sorted = [...ids].sort();
  return direction === "desc" ? sorted.reverse() : sorted;
}
