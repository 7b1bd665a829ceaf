import type { CacheResponse } from "./workers-types.js";

/**
 * Gives a Node `Response` the members a Workers `Response` has and Node's lacks: `webSocket`
 * (`null`), `cf` (`undefined`) and `headers.getAll("Set-Cookie")`; `clone()` keeps them. It
 * stays a Node `Response`, so everything else behaves as Node's does.
 */
export function asWorkersResponse(response: Response): CacheResponse {
  Object.defineProperty(response.headers, "getAll", { value: getAll, configurable: true, writable: true });
  Object.defineProperties(response, {
    webSocket: { value: null, configurable: true, enumerable: true },
    cf: { value: undefined, configurable: true, enumerable: true },
    clone: { value: cloneWorkersResponse, configurable: true, writable: true },
  });
  return response as unknown as CacheResponse;
}

function getAll(this: Headers, name: string): string[] {
  if (String(name).toLowerCase() !== "set-cookie") {
    throw new TypeError('getAll() can only be used with the header name "Set-Cookie".');
  }
  return this.getSetCookie();
}

function cloneWorkersResponse(this: Response): CacheResponse {
  return asWorkersResponse(Response.prototype.clone.call(this));
}
