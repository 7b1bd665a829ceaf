/**
 * The server side of the load benchmark, in its own process so the clients do not share its
 * event loop: `cellar` runs `cellar serve` (files + better-sqlite3) on a persist root; `raw`
 * runs a bare node:http server answering the same routes from a Map, the HTTP limit of this
 * machine. Prints `{"url": …}` once listening; stops on SIGTERM.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { openState, startServer } from "cellar";

const [mode, root] = process.argv.slice(2);

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The same routes as the load uses, answered from memory with no storage at all. */
function rawServer(): Promise<{ url: string; close(): Promise<void> }> {
  const values = new Map<string, Buffer>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      const url = new URL(request.url!, "http://localhost");
      const key = decodeURIComponent(url.pathname);
      if (request.method === "PUT") {
        values.set(key, await readBody(request));
        const body = url.pathname.startsWith("/client/v4/") ? '{"success":true,"errors":[],"messages":[],"result":null}' : "";
        response.writeHead(200, { "content-type": "application/json", etag: '"x"' }).end(body);
      } else if (url.searchParams.has("list-type") || url.pathname.endsWith("/keys")) {
        const prefix = url.searchParams.get("prefix") ?? "";
        const names = [...values.keys()].filter((name) => name.includes(prefix)).slice(0, 100);
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(names));
      } else {
        const value = values.get(key);
        if (value === undefined) response.writeHead(404).end();
        else response.writeHead(200, { "content-length": value.length }).end(value);
      }
    })();
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

if (mode === "raw") {
  const server = await rawServer();
  console.log(JSON.stringify({ url: server.url }));
  process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));
} else {
  const state = await openState({ root: root! });
  const server = await startServer({ state, port: 0 });
  console.log(JSON.stringify({ url: server.url }));
  process.once("SIGTERM", () => void server.close().then(() => state.close()).then(() => process.exit(0)));
}
