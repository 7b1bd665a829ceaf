import type { ReadableStream as WReadableStream } from "@cloudflare/workers-types";
import type { KVValueStream } from "../src/index.js";
declare const s: KVValueStream;
export const r: WReadableStream = s;
