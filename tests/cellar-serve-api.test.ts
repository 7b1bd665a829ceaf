import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Cloudflare from "cloudflare";
import { openState, startServer } from "cellar";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ACCOUNT,
  d1Path,
  expectClientError,
  expectEnvelopeError,
  kvPath,
  openServeApiFixture,
  sendJson,
  type ServeApiBackend,
  type ServeApiFixture,
} from "./support/serve-api-fixtures.ts";

/*
 * `cellar serve`'s Cloudflare-shaped API under /client/v4, driven by the real `cloudflare` client
 * (and plain `fetch` for what the client hides: status codes, headers, raw bodies), on a persist
 * root and in memory.
 */

const BACKENDS: readonly ServeApiBackend[] = ["files", "memory"];
const MiB = 1024 * 1024;

describe.each(BACKENDS)("cellar serve Cloudflare API (%s)", (backend) => {
  let fixture: ServeApiFixture;
  const account_id = ACCOUNT;

  beforeEach(async () => {
    fixture = await openServeApiFixture(backend);
  });
  afterEach(async () => {
    await fixture.close();
  });

  async function createNamespace(title: string): Promise<string> {
    const namespace = await fixture.client.kv.namespaces.create({ account_id, title });
    return namespace.id;
  }

  describe("KV namespaces", () => {
    it("creates a namespace whose id is its title, and refuses a second one", async () => {
      const created = await fixture.client.kv.namespaces.create({ account_id, title: "cache" });
      expect(created).toEqual({ id: "cache", title: "cache", supports_url_encoding: true });
      await expectClientError(fixture.client.kv.namespaces.create({ account_id, title: "cache" }), 400, 10014);
      expect(await fixture.client.kv.namespaces.get("cache", { account_id })).toEqual(created);
      expect(fixture.state.names("kv")).toContain("cache");
    });

    it("answers 404 10013 for a read of an unknown namespace, without creating it", async () => {
      await expectClientError(fixture.client.kv.namespaces.get("nope", { account_id }), 404, 10013);
      await expectClientError(fixture.client.kv.namespaces.values.get("k", { account_id, namespace_id: "nope" }), 404, 10013);
      await expectClientError(fixture.client.kv.namespaces.keys.list("nope", { account_id }), 404, 10013);
      expect(fixture.state.names("kv")).not.toContain("nope");
    });

    it("creates a namespace on its first write, as a bound namespace exists in wrangler dev, but not on a refused one", async () => {
      const refused = await fetch(`${fixture.api}/accounts/${account_id}/storage/kv/namespaces/seeded/values/k?expiration_ttl=1`, { method: "PUT", body: "v" });
      expect(refused.status).toBe(400);
      expect(fixture.state.names("kv")).not.toContain("seeded");
      await fixture.client.kv.namespaces.values.update("k", { account_id, namespace_id: "seeded", value: "v" });
      expect(fixture.state.names("kv")).toContain("seeded");
      expect(await fixture.state.kv("seeded").get("k")).toBe("v");
      await expect(fixture.client.kv.namespaces.get("seeded", { account_id })).resolves.toMatchObject({ id: "seeded", title: "seeded" });
    });

    it("refuses a missing title and malformed JSON", async () => {
      await expectEnvelopeError(await sendJson(`${fixture.api}/accounts/${account_id}/storage/kv/namespaces`, "POST", {}), 400, 10019, "missing title");
      const bad = await fetch(`${fixture.api}/accounts/${account_id}/storage/kv/namespaces`, { method: "POST", body: "{not json", headers: { "content-type": "application/json" } });
      await expectEnvelopeError(bad, 400, 6007, /^Malformed JSON in request body/);
    });

    it("lists namespaces with page and per_page, including those used through the state", async () => {
      for (const title of ["n1", "n2", "n3", "n4", "n5", "n6"]) await createNamespace(title);
      fixture.state.kv("worker-ns");
      const response = await fetch(`${fixture.api}/accounts/${account_id}/storage/kv/namespaces?per_page=5&page=2`);
      const body = (await response.json()) as { result: { id: string }[]; result_info: unknown; success: boolean };
      expect(body.success).toBe(true);
      expect(body.result.map(({ id }) => id)).toEqual(["n6", "worker-ns"]);
      expect(body.result_info).toEqual({ page: 2, per_page: 5, count: 2, total_count: 7, total_pages: 2 });

      const all: string[] = [];
      for await (const namespace of fixture.client.kv.namespaces.list({ account_id, per_page: 5, direction: "desc" })) all.push(namespace.id);
      expect(all).toEqual(["worker-ns", "n6", "n5", "n4", "n3", "n2", "n1"]);

      await expectEnvelopeError(await fetch(`${fixture.api}/accounts/${account_id}/storage/kv/namespaces?per_page=3`), 400, 10008);
      await expectEnvelopeError(await fetch(`${fixture.api}/accounts/${account_id}/storage/kv/namespaces?page=0`), 400, 10007);
    });
  });

  describe("KV values", () => {
    let namespace_id: string;
    beforeEach(async () => {
      namespace_id = await createNamespace("values-ns");
    });

    it("writes through the client (multipart, with metadata) and reads back raw bytes, over REST and through the state", async () => {
      await fixture.client.kv.namespaces.values.update("greeting", { account_id, namespace_id, value: "héllo", metadata: JSON.stringify({ lang: "fr" }) });
      const response = await fixture.client.kv.namespaces.values.get("greeting", { account_id, namespace_id });
      expect(response.headers.get("content-type")).toBe("application/octet-stream");
      expect(await response.text()).toBe("héllo");
      expect(await fixture.client.kv.namespaces.metadata.get("greeting", { account_id, namespace_id })).toEqual({ lang: "fr" });
      expect(await fixture.state.kv(namespace_id).getWithMetadata("greeting")).toEqual({ value: "héllo", metadata: { lang: "fr" }, cacheStatus: null });
    });

    it("serves over REST what was written through the state, byte for byte", async () => {
      const bytes = new Uint8Array(256).map((_, index) => index);
      await fixture.state.kv(namespace_id).put("binary", bytes, { metadata: { kind: "bytes" } });
      const response = await fetch(kvPath(fixture.api, namespace_id, "/values/binary"));
      expect(response.status).toBe(200);
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
      expect(await fixture.client.kv.namespaces.metadata.get("binary", { account_id, namespace_id })).toEqual({ kind: "bytes" });
    });

    it("takes a raw body with expiration_ttl, and reports the expiration in a header and in listings", async () => {
      const body = new Uint8Array([0, 255, 1, 254]);
      const put = await fetch(kvPath(fixture.api, namespace_id, "/values/raw?expiration_ttl=3600"), { method: "PUT", body, headers: { "content-type": "application/octet-stream" } });
      expect(put.status).toBe(200);
      expect(await put.json()).toEqual({ success: true, errors: [], messages: [], result: null });
      const expiration = Math.floor(fixture.now() / 1000) + 3600;
      const read = await fetch(kvPath(fixture.api, namespace_id, "/values/raw"));
      expect(read.headers.get("expiration")).toBe(String(expiration));
      expect(new Uint8Array(await read.arrayBuffer())).toEqual(body);
      const page = await fixture.client.kv.namespaces.keys.list(namespace_id, { account_id });
      expect(page.result).toEqual([{ name: "raw", expiration }]);
      expect((await fixture.state.kv(namespace_id).list()).keys).toEqual([{ name: "raw", expiration }]);
    });

    it("expires a value by the shared clock, and takes an absolute expiration", async () => {
      await fixture.client.kv.namespaces.values.update("short", { account_id, namespace_id, value: "v", expiration_ttl: 60 });
      const at = Math.floor(fixture.now() / 1000) + 120;
      await fixture.client.kv.namespaces.values.update("until", { account_id, namespace_id, value: "w", expiration: at });
      expect((await fixture.client.kv.namespaces.keys.list(namespace_id, { account_id })).result).toEqual([
        { name: "short", expiration: at - 60 },
        { name: "until", expiration: at },
      ]);
      fixture.advance(61_000);
      await expectClientError(fixture.client.kv.namespaces.values.get("short", { account_id, namespace_id }), 404, 10009, "get: 'key not found'");
      await expectClientError(fixture.client.kv.namespaces.metadata.get("short", { account_id, namespace_id }), 404, 10009);
      expect(await (await fixture.client.kv.namespaces.values.get("until", { account_id, namespace_id })).text()).toBe("w");
    });

    it("refuses bad expirations, long keys and large metadata with the KV service's messages, changing nothing", async () => {
      await fixture.client.kv.namespaces.values.update("k", { account_id, namespace_id, value: "original" });
      await expectClientError(
        fixture.client.kv.namespaces.values.update("k", { account_id, namespace_id, value: "new", expiration_ttl: 30 }),
        400,
        10029,
        "Invalid expiration_ttl of 30. Expiration TTL must be at least 60.",
      );
      const past = Math.floor(fixture.now() / 1000) - 10;
      await expectClientError(
        fixture.client.kv.namespaces.values.update("k", { account_id, namespace_id, value: "new", expiration: past }),
        400,
        10029,
        `Invalid expiration of ${past}. Please specify integer greater than the current number of seconds since the UNIX epoch.`,
      );
      await expectClientError(
        fixture.client.kv.namespaces.values.update("k", { account_id, namespace_id, value: "new", metadata: JSON.stringify({ big: "x".repeat(1100) }) }),
        413,
        10024,
        "Metadata length of 1110 exceeds limit of 1024.",
      );
      await expectEnvelopeError(
        await fetch(kvPath(fixture.api, namespace_id, `/values/${"k".repeat(513)}`), { method: "PUT", body: "v" }),
        414,
        10029,
        "UTF-8 encoded length of 513 exceeds key length limit of 512.",
      );
      await expectEnvelopeError(await fetch(kvPath(fixture.api, namespace_id, "/values/k?expiration_ttl=abc"), { method: "PUT", body: "v" }), 400, 10029, /^Invalid expiration_ttl of 0/);
      expect(await fixture.state.kv(namespace_id).get("k")).toBe("original");
      expect((await fixture.state.kv(namespace_id).list()).keys).toEqual([{ name: "k" }]);
    });

    it("refuses a value over 25 MiB, declared or streamed, and keeps the old one", async () => {
      await fixture.state.kv(namespace_id).put("big", "old");
      const declared = await fetch(kvPath(fixture.api, namespace_id, "/values/big"), { method: "PUT", body: new Uint8Array(25 * MiB + 1) });
      await expectEnvelopeError(declared, 413, 10024, "Value length of 26214401 exceeds limit of 26214400.");
      const chunk = new Uint8Array(MiB);
      let sent = 0;
      const streamed = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent > 25 * MiB) return controller.close();
          const piece = sent + chunk.byteLength > 25 * MiB + 1 ? chunk.subarray(0, 25 * MiB + 1 - sent) : chunk;
          sent += piece.byteLength;
          controller.enqueue(piece);
        },
      });
      const chunked = await fetch(kvPath(fixture.api, namespace_id, "/values/big"), { method: "PUT", body: streamed, duplex: "half" } as RequestInit);
      await expectEnvelopeError(chunked, 413, 10024, "Value length of 26214401 exceeds limit of 26214400.");
      expect(await fixture.state.kv(namespace_id).get("big")).toBe("old");
    });

    it("stores a 25 MiB value streamed as a raw body", async () => {
      const value = new Uint8Array(25 * MiB).fill(7);
      const put = await fetch(kvPath(fixture.api, namespace_id, "/values/max"), { method: "PUT", body: value });
      expect(put.status).toBe(200);
      const stored = await fixture.state.kv(namespace_id).get("max", "arrayBuffer");
      expect(stored?.byteLength).toBe(25 * MiB);
      expect(new Uint8Array(stored!)[25 * MiB - 1]).toBe(7);
    });

    it("takes multipart bodies with the metadata part before or after the value", async () => {
      const before = new FormData();
      before.append("metadata", JSON.stringify({ order: "first" }));
      before.append("value", new Blob([new Uint8Array([1, 2, 3])]), "blob");
      expect((await fetch(kvPath(fixture.api, namespace_id, "/values/mp1"), { method: "PUT", body: before })).status).toBe(200);
      const after = new FormData();
      after.append("value", new Blob(["text value"]), "blob");
      after.append("metadata", JSON.stringify({ order: "last" }));
      expect((await fetch(kvPath(fixture.api, namespace_id, "/values/mp2"), { method: "PUT", body: after })).status).toBe(200);
      const kv = fixture.state.kv(namespace_id);
      const first = await kv.getWithMetadata("mp1", "arrayBuffer");
      expect(new Uint8Array(first.value!)).toEqual(new Uint8Array([1, 2, 3]));
      expect(first.metadata).toEqual({ order: "first" });
      expect(await kv.getWithMetadata("mp2")).toMatchObject({ value: "text value", metadata: { order: "last" } });

      const noValue = new FormData();
      noValue.append("metadata", "{}");
      await expectEnvelopeError(await fetch(kvPath(fixture.api, namespace_id, "/values/mp3"), { method: "PUT", body: noValue }), 400, 10029, /no value part/);
      const badMetadata = new FormData();
      badMetadata.append("metadata", "{oops");
      badMetadata.append("value", new Blob(["v"]), "blob");
      await expectEnvelopeError(await fetch(kvPath(fixture.api, namespace_id, "/values/mp1"), { method: "PUT", body: badMetadata }), 400, 10029, /not valid JSON/);
      // Metadata given to the client as an object arrives as form fields, which KV does not read.
      await expectClientError(fixture.client.kv.namespaces.values.update("mp1", { account_id, namespace_id, value: "v", metadata: { a: 1 } }), 400, 10029, /one part holding JSON/);
      expect(await kv.getWithMetadata("mp1", "arrayBuffer").then((result) => result.metadata)).toEqual({ order: "first" });
      expect(await kv.get("mp3")).toBeNull();
    });

    it("round-trips unicode and percent-encoded key names", async () => {
      const keys = ["a/b c", "100%", "?#&=+", "ключ/😀", "..a", "x%2Fy", " lead"];
      for (const [index, key] of keys.entries()) {
        await fixture.client.kv.namespaces.values.update(key, { account_id, namespace_id, value: `v${index}` });
      }
      const kv = fixture.state.kv(namespace_id);
      for (const [index, key] of keys.entries()) {
        expect(await kv.get(key)).toBe(`v${index}`);
        expect(await (await fixture.client.kv.namespaces.values.get(key, { account_id, namespace_id })).text()).toBe(`v${index}`);
      }
      // An unencoded "/" in a raw path is part of the key.
      expect(await (await fetch(kvPath(fixture.api, namespace_id, "/values/a/b%20c"))).text()).toBe("v0");
      const listed = (await fixture.client.kv.namespaces.keys.list(namespace_id, { account_id })).result.map(({ name }) => name);
      expect(listed.sort()).toEqual([...keys].sort());
      await fixture.client.kv.namespaces.values.delete("ключ/😀", { account_id, namespace_id });
      expect(await kv.get("ключ/😀")).toBeNull();
      await expectEnvelopeError(await fetch(kvPath(fixture.api, namespace_id, "/values/bad%E0%A4%A")), 400, 7003, /URL-decode/);
    });

    it("deletes a value, and deleting a missing one succeeds", async () => {
      await fixture.state.kv(namespace_id).put("gone", "v");
      expect(await fixture.client.kv.namespaces.values.delete("gone", { account_id, namespace_id })).toBeNull();
      expect(await fixture.client.kv.namespaces.values.delete("gone", { account_id, namespace_id })).toBeNull();
      await expectClientError(fixture.client.kv.namespaces.values.get("gone", { account_id, namespace_id }), 404, 10009, "get: 'key not found'");
    });

    it("answers HEAD with the headers of a GET and no body", async () => {
      await fixture.state.kv(namespace_id).put("h", "value", { expirationTtl: 600 });
      const head = await fetch(kvPath(fixture.api, namespace_id, "/values/h"), { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(head.headers.get("expiration")).toBe(String(Math.floor(fixture.now() / 1000) + 600));
      expect(await head.text()).toBe("");
      const missing = await fetch(kvPath(fixture.api, namespace_id, "/values/none"), { method: "HEAD" });
      expect(missing.status).toBe(404);
      const namespaceHead = await fetch(kvPath(fixture.api, namespace_id), { method: "HEAD" });
      expect(namespaceHead.status).toBe(200);
      expect(Number(namespaceHead.headers.get("content-length"))).toBeGreaterThan(0);
      expect(await namespaceHead.text()).toBe("");
    });
  });

  describe("KV keys and bulk", () => {
    let namespace_id: string;
    beforeEach(async () => {
      namespace_id = await createNamespace("bulk-ns");
    });

    it("lists keys in pages with cursors, by prefix, through the client's iterator", async () => {
      const body = Array.from({ length: 25 }, (_, index) => ({ key: `item:${String(index).padStart(2, "0")}`, value: `v${index}` }));
      body.push({ key: "other", value: "o" });
      expect(await fixture.client.kv.namespaces.bulkUpdate(namespace_id, { account_id, body })).toEqual({ successful_key_count: 26, unsuccessful_keys: [] });

      const first = await fetch(kvPath(fixture.api, namespace_id, "/keys?prefix=item%3A&limit=10"));
      const page = (await first.json()) as { result: { name: string }[]; result_info: { count: number; cursor: string } };
      expect(page.result.map(({ name }) => name)).toEqual(body.slice(0, 10).map(({ key }) => key));
      expect(page.result_info.count).toBe(10);
      expect(page.result_info.cursor).not.toBe("");

      const names: string[] = [];
      for await (const key of fixture.client.kv.namespaces.keys.list(namespace_id, { account_id, prefix: "item:", limit: 10 })) names.push(key.name);
      expect(names).toEqual(body.slice(0, 25).map(({ key }) => key));

      const last = await fixture.client.kv.namespaces.keys.list(namespace_id, { account_id, prefix: "item:2", limit: 10 });
      expect(last.result.map(({ name }) => name)).toEqual(["item:20", "item:21", "item:22", "item:23", "item:24"]);
      expect(last.result_info).toEqual({ count: 5, cursor: "" });

      await expectEnvelopeError(await fetch(kvPath(fixture.api, namespace_id, "/keys?limit=5")), 400, 10028);
      await expectEnvelopeError(await fetch(kvPath(fixture.api, namespace_id, "/keys?limit=1001")), 400, 10028);
    });

    it("bulk-writes base64 values, metadata and expirations", async () => {
      const result = await fixture.client.kv.namespaces.bulkUpdate(namespace_id, {
        account_id,
        body: [
          { key: "b64", value: Buffer.from([0, 159, 146, 150]).toString("base64"), base64: true },
          { key: "meta", value: "m", metadata: { tag: 1 }, expiration_ttl: 120 },
          { key: "both", value: "x", expiration: Math.floor(fixture.now() / 1000) + 999_999, expiration_ttl: 300 },
        ],
      });
      expect(result).toEqual({ successful_key_count: 3, unsuccessful_keys: [] });
      const kv = fixture.state.kv(namespace_id);
      expect(new Uint8Array((await kv.get("b64", "arrayBuffer"))!)).toEqual(new Uint8Array([0, 159, 146, 150]));
      const seconds = Math.floor(fixture.now() / 1000);
      expect((await kv.list()).keys).toEqual([
        { name: "b64" },
        { name: "both", expiration: seconds + 300 },
        { name: "meta", expiration: seconds + 120, metadata: { tag: 1 } },
      ]);
    });

    it("refuses a bulk write with any bad item as a whole, writing nothing", async () => {
      const kv = fixture.state.kv(namespace_id);
      await kv.put("keep", "original");
      const attempts: unknown[] = [
        [{ key: "keep", value: "changed" }, { key: "bad", value: "v", expiration_ttl: 5 }],
        [{ key: "keep", value: "changed" }, { key: "", value: "v" }],
        [{ key: "keep", value: "changed" }, { key: "n", value: 12 }],
        [{ key: "keep", value: "changed" }, { key: "b", value: "***", base64: true }],
        [{ key: "keep", value: "changed" }, { key: "m", value: "v", metadata: "x".repeat(2000) }],
        { key: "keep", value: "changed" },
        Array.from({ length: 10_001 }, (_, index) => ({ key: `k${index}`, value: "v" })),
      ];
      for (const body of attempts) {
        const response = await sendJson(kvPath(fixture.api, namespace_id, "/bulk"), "PUT", body);
        expect([400, 413]).toContain(response.status);
        expect(((await response.json()) as { success: boolean }).success).toBe(false);
      }
      const malformed = await fetch(kvPath(fixture.api, namespace_id, "/bulk"), { method: "PUT", body: "[{", headers: { "content-type": "application/json" } });
      await expectEnvelopeError(malformed, 400, 6007);
      expect(await kv.get("keep")).toBe("original");
      expect((await kv.list()).keys.map(({ name }) => name)).toEqual(["keep"]);
    });

    it("bulk-deletes through POST /bulk/delete and DELETE /bulk", async () => {
      const kv = fixture.state.kv(namespace_id);
      for (const key of ["a", "b", "c", "d"]) await kv.put(key, key);
      expect(await fixture.client.kv.namespaces.bulkDelete(namespace_id, { account_id, body: ["a", "b", "missing"] })).toEqual({ successful_key_count: 3, unsuccessful_keys: [] });
      const response = await sendJson(kvPath(fixture.api, namespace_id, "/bulk"), "DELETE", ["c"]);
      expect(await response.json()).toMatchObject({ success: true, result: { successful_key_count: 1, unsuccessful_keys: [] } });
      await expectEnvelopeError(await sendJson(kvPath(fixture.api, namespace_id, "/bulk"), "DELETE", ["d", ""]), 400, 10029, "Key name cannot be empty.");
      expect((await kv.list()).keys.map(({ name }) => name)).toEqual(["d"]);
    });

    it("bulk-reads text and JSON, with metadata, through the gateway's checks", async () => {
      const kv = fixture.state.kv(namespace_id);
      await kv.put("j", JSON.stringify({ n: 1 }), { metadata: { m: true } });
      await kv.put("t", "plain");
      expect(await fixture.client.kv.namespaces.bulkGet(namespace_id, { account_id, keys: ["t", "missing"] })).toEqual({ values: { t: "plain", missing: null } });
      expect(await fixture.client.kv.namespaces.bulkGet(namespace_id, { account_id, keys: ["j"], type: "json", withMetadata: true })).toEqual({
        values: { j: { value: { n: 1 }, metadata: { m: true } } },
      });
      await expectClientError(fixture.client.kv.namespaces.bulkGet(namespace_id, { account_id, keys: ["t"], type: "json" }), 400, 10029, "At least one of the requested keys corresponds to a non-json value");
      const tooMany = Array.from({ length: 101 }, (_, index) => `k${index}`);
      await expectClientError(fixture.client.kv.namespaces.bulkGet(namespace_id, { account_id, keys: tooMany }), 400, 10029, "You can request a maximum of 100 keys");
      await expectEnvelopeError(await sendJson(kvPath(fixture.api, namespace_id, "/bulk/get"), "POST", { keys: ["t"], type: "xml" }), 400, 10029, '"xml" is not a valid type. Use "json" or "text"');
    });
  });

  describe("routing", () => {
    it("answers Cloudflare's routing errors, 405 with Allow, and OPTIONS", async () => {
      await expectEnvelopeError(await fetch(`${fixture.api}/zones`), 404, 7000, "No route for that URI");
      await expectEnvelopeError(
        await fetch(`${fixture.api}/accounts/${account_id}/storage/kv/namespaces/x/bogus`),
        404,
        7003,
        `Could not route to /client/v4/accounts/${account_id}/storage/kv/namespaces/x/bogus, perhaps your object identifier is invalid?`,
      );
      await expectEnvelopeError(await fetch(`${fixture.api}/accounts/${account_id}/d1/database/x/nothing`), 404, 7003);
      const wrong = await fetch(kvPath(fixture.api, "ns", "/values/k"), { method: "POST" });
      expect(wrong.headers.get("allow")).toBe("GET, PUT, DELETE, HEAD, OPTIONS");
      await expectEnvelopeError(wrong, 405, 7001, "Method POST not available for that URI.");
      await expectEnvelopeError(await fetch(d1Path(fixture.api, "DB", "/query")), 405, 7001);
      const options = await fetch(kvPath(fixture.api, "ns", "/bulk"), { method: "OPTIONS" });
      expect(options.status).toBe(204);
      expect(options.headers.get("allow")).toBe("PUT, DELETE, OPTIONS");
      expect(options.headers.get("access-control-allow-origin")).toBeNull();
    });
  });

  describe("D1", () => {
    beforeEach(async () => {
      await fixture.client.d1.database.create({ account_id, name: "DB" });
    });

    it("creates, gets and lists databases by id; refuses duplicates and unknown ids; a query creates its database", async () => {
      const database = await fixture.client.d1.database.get("DB", { account_id });
      expect(database).toMatchObject({ uuid: "DB", name: "DB", version: "production", num_tables: 0 });
      if (backend === "files") expect(database.created_at).toMatch(/^\d{4}-\d\d-\d\dT/);
      await expectClientError(fixture.client.d1.database.create({ account_id, name: "DB" }), 400, 7502);
      await expectClientError(fixture.client.d1.database.get("nope", { account_id }), 404, 7404, "The database nope could not be found");
      // As `wrangler d1 execute --local` does, a query on an id not used yet creates the database.
      expect((await fixture.client.d1.database.query("seeded-db", { account_id, sql: "SELECT 1 AS one" })).result[0]).toMatchObject({ results: [{ one: 1 }] });
      expect(await fixture.client.d1.database.get("seeded-db", { account_id })).toMatchObject({ uuid: "seeded-db", num_tables: 0 });
      fixture.state.d1("worker-db");
      const names: string[] = [];
      for await (const entry of fixture.client.d1.database.list({ account_id })) names.push(entry.name!);
      expect(names).toEqual(["DB", "seeded-db", "worker-db"]);
      const filtered = await fixture.client.d1.database.list({ account_id, name: "work" });
      expect(filtered.result.map((entry) => entry.uuid)).toEqual(["worker-db"]);
    });

    it("runs several statements with params, one result each, visible through the state", async () => {
      const page = await fixture.client.d1.database.query("DB", {
        account_id,
        sql: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES (?), (?)",
        params: ["ada", "grace"],
      });
      expect(page.result).toHaveLength(2);
      expect(page.result[1]).toMatchObject({ success: true, results: [], meta: { changes: 2, last_row_id: 2 } });
      const select = await fixture.client.d1.database.query("DB", { account_id, sql: "SELECT id, name FROM users WHERE name = ?", params: ["grace"] });
      expect(select.result).toEqual([{ success: true, results: [{ id: 2, name: "grace" }], meta: expect.objectContaining({ rows_read: 1 }) as unknown }]);
      expect((await fixture.state.d1("DB").prepare("SELECT count(*) AS n FROM users").first("n"))).toBe(2);
      expect(await fixture.client.d1.database.get("DB", { account_id })).toMatchObject({ num_tables: 1 });

      await fixture.state.d1("DB").prepare("INSERT INTO users (name) VALUES ('linus')").run();
      const raw = await fixture.client.d1.database.raw("DB", { account_id, sql: "SELECT id, name FROM users ORDER BY id" });
      expect(raw.result[0]!.results).toEqual({ columns: ["id", "name"], rows: [[1, "ada"], [2, "grace"], [3, "linus"]] });

      const batch = await sendJson(d1Path(fixture.api, "DB", "/query"), "POST", {
        batch: [{ sql: "SELECT ? AS a", params: [1] }, { sql: "SELECT 'x' AS b" }],
      });
      const body = (await batch.json()) as { result: { results: unknown[] }[] };
      expect(body.result.map((result) => result.results)).toEqual([[{ a: 1 }], [{ b: "x" }]]);
    });

    it("reports SQL errors as D1 does, with code 7500, and rolls the whole request back", async () => {
      await fixture.state.d1("DB").exec("CREATE TABLE t (id INTEGER PRIMARY KEY)");
      await expectClientError(fixture.client.d1.database.query("DB", { account_id, sql: "SELECT * FROM nope" }), 400, 7500, "no such table: nope: SQLITE_ERROR");
      await expectClientError(
        fixture.client.d1.database.query("DB", { account_id, sql: "INSERT INTO t VALUES (1); INSERT INTO t VALUES (1)" }),
        400,
        7500,
        "UNIQUE constraint failed: t.id: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_PRIMARYKEY)",
      );
      expect(await fixture.state.d1("DB").prepare("SELECT count(*) AS n FROM t").first("n")).toBe(0);
      await expectEnvelopeError(await fetch(d1Path(fixture.api, "DB", "/query"), { method: "POST", body: "nope", headers: { "content-type": "application/json" } }), 400, 7400);
      await expectEnvelopeError(await sendJson(d1Path(fixture.api, "DB", "/query"), "POST", { params: [] }), 400, 7400);
      await expectEnvelopeError(await sendJson(d1Path(fixture.api, "DB", "/raw"), "POST", { sql: "SELECT ?", params: [{ a: 1 }] }), 400, 7500, /^D1_TYPE_ERROR/);
    });
  });
});

describe("cellar serve Cloudflare API across restarts", () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "cellar-serve-api-restart-"));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function withServer(run: (client: Cloudflare) => Promise<void>): Promise<void> {
    const state = await openState({ root });
    const server = await startServer({ state, port: 0 });
    try {
      await run(new Cloudflare({ apiToken: "x", baseURL: `${server.url}/client/v4`, maxRetries: 0 }));
    } finally {
      await server.close();
      await state.close();
    }
  }

  it("keeps an empty namespace listed and a created database reachable by id", async () => {
    await withServer(async (client) => {
      await client.kv.namespaces.create({ account_id: ACCOUNT, title: "empty-ns" });
      await client.d1.database.create({ account_id: ACCOUNT, name: "kept-db" });
      await client.d1.database.query("kept-db", { account_id: ACCOUNT, sql: "CREATE TABLE t (x)" });
    });
    await withServer(async (client) => {
      const namespaces = await client.kv.namespaces.list({ account_id: ACCOUNT });
      expect(namespaces.result.map(({ id }) => id)).toEqual(["empty-ns"]);
      // A database file is named by a hash of its id: found by id, though not listed until used.
      expect(await client.d1.database.get("kept-db", { account_id: ACCOUNT })).toMatchObject({ uuid: "kept-db", num_tables: 1 });
    });
  });
});
