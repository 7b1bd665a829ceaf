import { OperationError, UsageError } from "./cli-errors.js";
import { write, writeJson } from "./cli-io.js";
import { openInput } from "./file-input.js";
import { integerOption, positionals, required, type CommandContext } from "./run-cli.js";

/** `cellar kv get|put|delete|list`. */
export async function runKV(context: CommandContext): Promise<void> {
  const { io, values, json } = context;
  const namespaceId = required(context, "namespace");
  const kv = context.state.kv(namespaceId);
  switch (context.subcommand) {
    case "get": {
      const [key] = positionals(context, ["key"]);
      const { value, metadata } = await kv.getWithMetadata(key!, "arrayBuffer");
      if (value === null) throw new OperationError(`key "${key}" not found in KV namespace "${namespaceId}"`, "ERR_NOT_FOUND");
      if (json) await writeJson(io, { key, value: new TextDecoder().decode(value), metadata });
      else await new Promise<void>((resolve, reject) => io.stdout.write(new Uint8Array(value), (error) => (error ? reject(error) : resolve())));
      return;
    }
    case "put": {
      const file = values.file;
      const [key, text] = positionals(context, ["key"], file === undefined ? ["value"] : []);
      if (file === undefined && text === undefined) throw new UsageError(`"cellar kv put" needs <value> or --file <path>`, "kv");
      let metadata: unknown;
      if (values.metadata !== undefined) {
        try {
          metadata = JSON.parse(values.metadata);
        } catch {
          throw new UsageError(`--metadata must be JSON, got ${values.metadata}`, "kv");
        }
      }
      const expirationTtl = integerOption(context, "ttl");
      const expiration = integerOption(context, "expiration");
      const options = {
        ...(metadata === undefined ? {} : { metadata }),
        ...(expirationTtl === undefined ? {} : { expirationTtl }),
        ...(expiration === undefined ? {} : { expiration }),
      };
      let bytes: number;
      if (file !== undefined) {
        const input = await openInput(file, io.stdin);
        try {
          bytes = input.size;
          await kv.put(key!, input.stream(), options);
        } finally {
          await input.dispose();
        }
      } else {
        bytes = Buffer.byteLength(text!);
        await kv.put(key!, text!, options);
      }
      if (json) await writeJson(io, { key, bytes });
      else await write(io.stdout, `Put "${key}" (${bytes} bytes) into KV namespace "${namespaceId}"\n`);
      return;
    }
    case "delete": {
      const [key] = positionals(context, ["key"]);
      await kv.delete(key!);
      if (json) await writeJson(io, { key, deleted: true });
      else await write(io.stdout, `Deleted "${key}" from KV namespace "${namespaceId}"\n`);
      return;
    }
    default: {
      positionals(context, []);
      const limit = integerOption(context, "limit");
      const keys: { name: string; expiration?: number; metadata?: unknown }[] = [];
      let cursor: string | undefined;
      do {
        const page = await kv.list({ ...(values.prefix === undefined ? {} : { prefix: values.prefix }), ...(cursor === undefined ? {} : { cursor }) });
        keys.push(...page.keys);
        cursor = page.list_complete ? undefined : page.cursor;
      } while (cursor !== undefined && (limit === undefined || keys.length < limit));
      const shown = limit === undefined ? keys : keys.slice(0, limit);
      if (json) await writeJson(io, shown);
      else await write(io.stdout, shown.map((key) => `${key.name}\n`).join(""));
    }
  }
}
