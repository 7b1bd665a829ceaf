import { createWriteStream } from "node:fs";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { FixedLengthStream, type R2Object } from "@cellar/r2";
import { OperationError, UsageError } from "./cli-errors.js";
import { countingStream, createProgress, write, writeJson } from "./cli-io.js";
import { openInput } from "./file-input.js";
import { integerOption, positionals, required, type CommandContext } from "./run-cli.js";

function describe(object: R2Object): { key: string; size: number; etag: string; uploaded: string; contentType?: string } {
  const contentType = object.httpMetadata?.contentType;
  return { key: object.key, size: object.size, etag: object.etag, uploaded: object.uploaded.toISOString(), ...(contentType === undefined ? {} : { contentType }) };
}

/** `cellar r2 get|put|delete|list`: bodies stream between files (or stdout) and blobs, never held whole. */
export async function runR2(context: CommandContext): Promise<void> {
  const { io, values, json } = context;
  const bucketName = required(context, "bucket");
  const bucket = context.state.r2(bucketName);
  switch (context.subcommand) {
    case "get": {
      const [key] = positionals(context, ["key"]);
      const file = values.file === "-" ? undefined : values.file;
      if (json && file === undefined) throw new UsageError(`"cellar r2 get --json" needs --file: the body would go to stdout`, "r2");
      const object = await bucket.get(key!);
      if (object === null) throw new OperationError(`object "${key}" not found in R2 bucket "${bucketName}"`, "ERR_NOT_FOUND");
      const progress = createProgress(io, key!, object.size);
      const body = Readable.fromWeb(object.body.pipeThrough(countingStream((bytes) => progress.advance(bytes))) as import("node:stream/web").ReadableStream<Uint8Array>);
      if (file === undefined) {
        // Keep stdout open: it is the process's, not ours to end.
        await pipeline(body, new Writable({ write: (chunk, _encoding, done) => void io.stdout.write(chunk, done) }));
      } else {
        await pipeline(body, createWriteStream(file));
      }
      progress.done();
      if (json) await writeJson(io, { ...describe(object), file });
      else if (file !== undefined) await write(io.stdout, `Wrote "${key}" (${object.size} bytes) to ${file}\n`);
      return;
    }
    case "put": {
      const file = values.file;
      const [key, text] = positionals(context, ["key"], file === undefined ? ["value"] : []);
      if (file === undefined && text === undefined) throw new UsageError(`"cellar r2 put" needs --file <path> or <value>`, "r2");
      const contentType = values["content-type"];
      const options = contentType === undefined ? {} : { httpMetadata: { contentType } };
      let object: R2Object | null;
      if (file !== undefined) {
        const input = await openInput(file, io.stdin);
        try {
          const progress = createProgress(io, key!, input.size);
          // R2 needs a stream of known length, as in Workers.
          const body = input.stream().pipeThrough(countingStream((bytes) => progress.advance(bytes))).pipeThrough(new FixedLengthStream(input.size));
          object = await bucket.put(key!, body, options);
          progress.done();
        } finally {
          await input.dispose();
        }
      } else {
        object = await bucket.put(key!, text!, options);
      }
      if (object === null) throw new OperationError(`put of "${key}" was refused`, "ERR_PRECONDITION");
      if (json) await writeJson(io, describe(object));
      else await write(io.stdout, `Put "${key}" (${object.size} bytes, etag ${object.etag}) into R2 bucket "${bucketName}"\n`);
      return;
    }
    case "delete": {
      const [key] = positionals(context, ["key"]);
      await bucket.delete(key!);
      if (json) await writeJson(io, { key, deleted: true });
      else await write(io.stdout, `Deleted "${key}" from R2 bucket "${bucketName}"\n`);
      return;
    }
    default: {
      positionals(context, []);
      const limit = integerOption(context, "limit");
      const delimiter = values.delimiter;
      const objects: R2Object[] = [];
      const prefixes: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await bucket.list({
          include: ["httpMetadata"],
          ...(values.prefix === undefined ? {} : { prefix: values.prefix }),
          ...(delimiter === undefined ? {} : { delimiter }),
          ...(cursor === undefined ? {} : { cursor }),
        });
        objects.push(...page.objects);
        prefixes.push(...page.delimitedPrefixes);
        cursor = page.truncated ? page.cursor : undefined;
      } while (cursor !== undefined && (limit === undefined || objects.length + prefixes.length < limit));
      // With a delimiter, the "directories" come first, as `aws s3 ls` shows them.
      const shownPrefixes = limit === undefined ? prefixes : prefixes.slice(0, limit);
      const shown = (limit === undefined ? objects : objects.slice(0, Math.max(0, limit - shownPrefixes.length))).map(describe);
      if (json) await writeJson(io, delimiter === undefined ? shown : { objects: shown, delimitedPrefixes: shownPrefixes });
      else await write(io.stdout, [...shownPrefixes.map((prefix) => `${prefix}\n`), ...shown.map((object) => `${object.key}\t${object.size}\t${object.uploaded}\n`)].join(""));
    }
  }
}
