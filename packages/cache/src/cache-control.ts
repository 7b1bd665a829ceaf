/** Directives of a `Cache-Control` header: `true` for a bare directive, else its (unquoted) value. */
export type CacheControlDirectives = Readonly<Record<string, string | true>>;

/**
 * Parses `Cache-Control` exactly as http-cache-semantics 4.1.1 does internally (it does not
 * export its parser), so the directives read here are the ones the library decided on: split on
 * `,`, names trimmed and case-sensitive, values trimmed and unquoted, the last duplicate winning.
 */
export function parseCacheControl(header: string | undefined): CacheControlDirectives {
  const directives: Record<string, string | true> = {};
  if (!header) return directives;
  for (const part of header.trim().split(/,/)) {
    const [name = "", value] = part.split(/=/, 2);
    directives[name.trim()] = value === undefined ? true : value.trim().replace(/^"|"$/g, "");
  }
  return directives;
}
