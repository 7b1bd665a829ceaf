import type { CellarState } from "../../open-state.js";
import type { Exchange } from "../exchange.js";
import type { ApiResponder } from "./api-response.js";

/** The HTTP methods routes are declared for. HEAD is answered by a GET route, OPTIONS by the router. */
export type ApiMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** What a route handler is given. */
export interface ApiRequest extends ApiResponder {
  readonly exchange: Exchange;
  readonly state: CellarState;
  /** The path parameters, percent-decoded (`:namespace_id`, `*key_name`). */
  readonly params: Readonly<Record<string, string>>;
  /** The query string, decoded. */
  readonly query: URLSearchParams;
}

export type ApiHandler = (request: ApiRequest) => Promise<void>;

/**
 * One resource path and its methods. `pattern` segments are literals, `:name` (one segment) or,
 * last only, `*name` (the rest of the path, slashes included: a key name may hold unencoded `/`).
 */
export interface ApiRoute {
  readonly pattern: string;
  readonly methods: Partial<Record<ApiMethod, ApiHandler>>;
}
