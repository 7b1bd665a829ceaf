import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSitesManifest, createSitesNamespace, encodeSitesKey, SITES_KEY_PREFIX } from "../src/index.js";

let dir: string;
let root: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cellar-sites-"));
  root = join(dir, "site");
  await mkdir(join(root, "sub", "deep"), { recursive: true });
  await mkdir(join(root, ".well-known"));
  await writeFile(join(root, "index.html"), "<h1>home</h1>");
  await writeFile(join(root, "data.json"), '{"ok":true}');
  await writeFile(join(root, "sub", "style.css"), "body{}");
  await writeFile(join(root, "sub", "deep", "app.js"), "run()");
  await writeFile(join(root, ".env"), "SECRET=1");
  await writeFile(join(root, ".well-known", "acme"), "token");
  await writeFile(join(root, "a b%é+#.txt"), "odd name");
  await writeFile(join(dir, "outside.txt"), "not yours");
  await symlink(join(dir, "outside.txt"), join(root, "escape.txt"));
  await symlink(join(root, "sub", "style.css"), join(root, "alias.css"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const key = encodeSitesKey;

describe("Workers Sites manifest", () => {
  it("maps every file, dotfiles included, to its encoded key", () => {
    const manifest = createSitesManifest({ root });
    expect(manifest).toEqual({
      ".env": `${SITES_KEY_PREFIX}.env`,
      ".well-known/acme": `${SITES_KEY_PREFIX}.well-known%2Facme`,
      "a b%é+#.txt": `${SITES_KEY_PREFIX}a%20b%25%C3%A9%2B%23.txt`,
      "alias.css": `${SITES_KEY_PREFIX}alias.css`,
      "data.json": `${SITES_KEY_PREFIX}data.json`,
      "index.html": `${SITES_KEY_PREFIX}index.html`,
      "sub/deep/app.js": `${SITES_KEY_PREFIX}sub%2Fdeep%2Fapp.js`,
      "sub/style.css": `${SITES_KEY_PREFIX}sub%2Fstyle.css`,
    });
    expect(createSitesNamespace({ root }).manifest).toEqual(manifest);
  });

  it("applies include globs (unanchored, globstar) and ignores exclude when they exist", () => {
    expect(Object.keys(createSitesManifest({ root, include: ["*.css"] }))).toEqual(["alias.css", "sub/style.css"]);
    // Unanchored: `sub/*` matches wherever `sub/<segment>` occurs, so deeper files match too.
    expect(Object.keys(createSitesManifest({ root, include: ["sub/*"] }))).toEqual(["sub/deep/app.js", "sub/style.css"]);
    expect(Object.keys(createSitesManifest({ root, include: ["^sub/*.css"] }))).toEqual([]);
    expect(Object.keys(createSitesManifest({ root, include: ["sub/**"] }))).toEqual(["sub/deep/app.js", "sub/style.css"]);
    expect(Object.keys(createSitesManifest({ root, include: ["deep"] }))).toEqual(["sub/deep/app.js"]);
    expect(Object.keys(createSitesManifest({ root, include: ["*.css", "!alias.css"] }))).toEqual(["sub/style.css"]);
    expect(Object.keys(createSitesManifest({ root, include: ["index.html"], exclude: ["*.html"] }))).toEqual(["index.html"]);
  });

  it("applies exclude globs when there are no include globs", () => {
    expect(Object.keys(createSitesManifest({ root, exclude: ["sub/**", "*.txt"] }))).toEqual([".env", ".well-known/acme", "alias.css", "data.json", "index.html"]);
    // Unanchored: `*.js` is found inside `data.json` too.
    expect(Object.keys(createSitesManifest({ root, exclude: ["*.js"] }))).not.toContain("data.json");
    // `!` makes an exception within the exclude list: that file is served after all.
    expect(Object.keys(createSitesManifest({ root, exclude: ["*.css", "!sub/style.css"] }))).toContain("sub/style.css");
    expect(Object.keys(createSitesManifest({ root, exclude: ["*.css", "!sub/style.css"] }))).not.toContain("alias.css");
  });

  it("refuses a root that is not a directory", () => {
    expect(() => createSitesNamespace({ root: join(dir, "missing") })).toThrow(TypeError);
    expect(() => createSitesNamespace({ root: join(root, "index.html") })).toThrow(TypeError);
  });
});

describe("Workers Sites namespace", () => {
  it("serves files by manifest key, by raw path, and with a leading slash", async () => {
    const sites = createSitesNamespace({ root });
    expect(await sites.get(key("index.html"))).toBe("<h1>home</h1>");
    expect(await sites.get(key("sub/style.css"))).toBe("body{}");
    expect(await sites.get("sub/style.css")).toBe("body{}");
    expect(await sites.get("/sub/deep/app.js")).toBe("run()");
    expect(await sites.get(key("a b%é+#.txt"))).toBe("odd name");
    expect(await sites.get(key("data.json"), "json")).toEqual({ ok: true });
    expect(new TextDecoder().decode((await sites.get("index.html", "arrayBuffer"))!)).toBe("<h1>home</h1>");
    const stream = await sites.get("index.html", { type: "stream" });
    expect(await new Response(stream).text()).toBe("<h1>home</h1>");
    expect(await sites.getWithMetadata("index.html")).toEqual({ value: "<h1>home</h1>", metadata: null, cacheStatus: null });
  });

  it("returns null for missing files, dotfiles, paths leaving the root and links out of it", async () => {
    const sites = createSitesNamespace({ root });
    for (const name of ["missing.txt", ".env", ".well-known/acme", key(".env"), "../outside.txt", "sub/../../outside.txt", "escape.txt", key("escape.txt"), "nul\u0000.txt"]) {
      expect(await sites.get(name), name).toBeNull();
    }
    expect(await sites.get("alias.css")).toBe("body{}");
  });

  it("returns a directory's listing as JSON, dotfiles hidden", async () => {
    const sites = createSitesNamespace({ root });
    expect(await sites.get("sub", "json")).toEqual([
      { name: "deep", type: "directory" },
      { name: "style.css", type: "file" },
    ]);
    expect(await sites.get(key("sub/deep"), "json")).toEqual([{ name: "app.js", type: "file" }]);
  });

  it("returns null for files the filter leaves out", async () => {
    const sites = createSitesNamespace({ root, include: ["*.css"] });
    expect(await sites.get("index.html")).toBeNull();
    expect(await sites.get("sub/style.css")).toBe("body{}");
  });

  it("lists encoded names in UTF-8 order, without dotfiles, with prefixes on encoded names", async () => {
    const sites = createSitesNamespace({ root });
    const all = await sites.list();
    expect(all.keys.map((listed) => listed.name)).toEqual(
      ["a b%é+#.txt", "alias.css", "data.json", "index.html", "sub/deep/app.js", "sub/style.css"].map(key),
    );
    expect(all).toMatchObject({ list_complete: true, cacheStatus: null });
    expect((await sites.list({ prefix: "sub" })).keys).toEqual([]);
    expect((await sites.list({ prefix: key("sub") })).keys.map((listed) => listed.name)).toEqual([key("sub/deep/app.js"), key("sub/style.css")]);
    expect((await createSitesNamespace({ root, exclude: ["*.css"] }).list()).keys.map((listed) => listed.name)).toEqual(
      ["a b%é+#.txt", "data.json", "index.html", "sub/deep/app.js"].map(key),
    );
  });

  it("pages with cursors; a cursor that is not found gives an empty page", async () => {
    const sites = createSitesNamespace({ root });
    const first = await sites.list({ limit: 4 });
    expect(first.keys).toHaveLength(4);
    expect(first.list_complete).toBe(false);
    const rest = await sites.list({ limit: 4, cursor: first.list_complete ? undefined : first.cursor });
    expect(rest.keys.map((listed) => listed.name)).toEqual([key("sub/deep/app.js"), key("sub/style.css")]);
    expect(rest.list_complete).toBe(true);
    expect((await sites.list({ cursor: btoa("nope") })).keys).toEqual([]);
    expect((await sites.list({ limit: 0 })).keys).toHaveLength(6);
    await expect(sites.list({ limit: 1001 })).rejects.toThrow("KV GET failed: 400 Invalid key_count_limit of 1001. Please specify an integer less than 1000.");
  });

  it("serves bulk reads from the files instead of hanging (K1)", async () => {
    const sites = createSitesNamespace({ root });
    const result = await sites.get(["index.html", key("data.json"), "missing", ".env"]);
    expect([...result.entries()]).toEqual([
      ["index.html", "<h1>home</h1>"],
      [key("data.json"), '{"ok":true}'],
      ["missing", null],
      [".env", null],
    ]);
    const withMetadata = await sites.getWithMetadata(["data.json"], "json");
    expect([...withMetadata.entries()]).toEqual([["data.json", { value: { ok: true }, metadata: null }]]);
  });

  it("fails put and delete at once with 405, after the binding's key checks (K1)", async () => {
    const sites = createSitesNamespace({ root });
    await expect(sites.put("index.html", "changed")).rejects.toThrow(new Error("KV PUT failed: 405 Cannot put() with Workers Sites namespace"));
    await expect(sites.delete("index.html")).rejects.toThrow(new Error("KV DELETE failed: 405 Cannot delete() with Workers Sites namespace"));
    await expect(sites.put("", "v")).rejects.toThrow(new TypeError("Key name cannot be empty."));
    let cancelled = false;
    const body = new ReadableStream({ cancel: () => void (cancelled = true) });
    await expect(sites.put("new.txt", body)).rejects.toThrow("405");
    expect(cancelled).toBe(true);
    expect(await sites.get("index.html")).toBe("<h1>home</h1>");
  });

  it("validates reads like a KV namespace", async () => {
    const sites = createSitesNamespace({ root });
    await expect(sites.get("index.html", { cacheTtl: 10 })).rejects.toThrow("KV GET failed: 400 Invalid cache_ttl of 10. Cache TTL must be at least 30.");
    await expect(sites.get("")).rejects.toThrow(TypeError);
    await expect(sites.get(`${SITES_KEY_PREFIX}%E0%A4%A`)).rejects.toThrow("KV GET failed: 400 Could not URL-decode key name");
  });
});
