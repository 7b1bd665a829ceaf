import { API_ERROR_CODES } from "./api-error-codes.js";
import { CloudflareApiError } from "./api-error.js";
import type { ApiHandler, ApiMethod, ApiRoute } from "./api-route.js";

/** A route that matched a path: its methods and the decoded parameters. */
export interface RouteMatch {
  readonly route: ApiRoute;
  readonly params: Record<string, string>;
}

/** The methods a route answers, as an `Allow` header lists them. */
export function allowedMethods(route: ApiRoute): string[] {
  const methods: string[] = Object.keys(route.methods);
  if (methods.includes("GET")) methods.push("HEAD");
  methods.push("OPTIONS");
  return methods;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch (error) {
    throw new CloudflareApiError(400, API_ERROR_CODES.couldNotRoute, `Could not URL-decode path segment "${segment}"`, { cause: error });
  }
}

/** Path segments, without the leading empty one and without one trailing empty one (`/namespaces/`). */
function segmentsOf(path: string): string[] {
  const segments = path.split("/").slice(1);
  if (segments.length > 0 && segments[segments.length - 1] === "") segments.pop();
  return segments;
}

function matchRoute(route: ApiRoute, segments: readonly string[]): Record<string, string> | undefined {
  const pattern = segmentsOf(route.pattern);
  const params: Record<string, string> = {};
  for (let index = 0; index < pattern.length; index++) {
    const part = pattern[index]!;
    if (part.startsWith("*")) {
      const rest = segments.slice(index).join("/");
      if (rest === "") return undefined;
      params[part.slice(1)] = decodeSegment(rest);
      return params;
    }
    const segment = segments[index];
    if (segment === undefined || segment === "") return undefined;
    if (part.startsWith(":")) params[part.slice(1)] = decodeSegment(segment);
    else if (part !== segment) return undefined;
  }
  return segments.length === pattern.length ? params : undefined;
}

/** Paths under these prefixes belong to a product this server has: a miss there is `7003`, not `7000`. */
const PRODUCT_PREFIXES: readonly (readonly string[])[] = [
  ["accounts", "*", "storage", "kv"],
  ["accounts", "*", "d1"],
];

function underProduct(segments: readonly string[]): boolean {
  return PRODUCT_PREFIXES.some((prefix) => prefix.every((part, index) => segments[index] !== undefined && (part === "*" || part === segments[index])));
}

/**
 * Finds the route for a path, or throws Cloudflare's routing errors: `404 7003 Could not route to
 * <path>, perhaps your object identifier is invalid?` under a known product, `404 7000 No route
 * for that URI` elsewhere.
 */
export function findRoute(routes: readonly ApiRoute[], path: string, displayPath: string): RouteMatch {
  const segments = segmentsOf(path);
  for (const route of routes) {
    const params = matchRoute(route, segments);
    if (params !== undefined) return { route, params };
  }
  if (underProduct(segments)) {
    throw new CloudflareApiError(404, API_ERROR_CODES.couldNotRoute, `Could not route to ${displayPath}, perhaps your object identifier is invalid?`);
  }
  throw new CloudflareApiError(404, API_ERROR_CODES.noRoute, "No route for that URI");
}

/** The handler for a method (HEAD runs the GET handler), or `405` with an `Allow` header. */
export function handlerFor(route: ApiRoute, method: string): ApiHandler {
  const handler = route.methods[(method === "HEAD" ? "GET" : method) as ApiMethod];
  if (handler !== undefined) return handler;
  throw new CloudflareApiError(405, API_ERROR_CODES.methodNotAllowed, `Method ${method} not available for that URI.`, {
    headers: { allow: allowedMethods(route).join(", ") },
  });
}
