import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { openState, type CellarState } from "../open-state.js";
import type { EngineKind } from "../engines.js";
import { OperationError, UsageError } from "./cli-errors.js";
import { write, type CliIo } from "./cli-io.js";
import { COMMAND_HELP, PROGRAM_HELP } from "./help.js";
import { runD1 } from "./d1-commands.js";
import { runDurableObjects } from "./do-commands.js";
import { runGc } from "./gc-command.js";
import { runKV } from "./kv-commands.js";
import { runR2 } from "./r2-commands.js";
import { runDeleteAll } from "./do-delete-all.js";
import { runServe } from "./serve-command.js";

/** Every option any command takes; each command then accepts only its own (`ALLOWED`). */
const OPTIONS = {
  root: { type: "string" },
  engine: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  namespace: { type: "string" },
  bucket: { type: "string" },
  database: { type: "string" },
  "unique-key": { type: "string" },
  name: { type: "string" },
  file: { type: "string" },
  output: { type: "string" },
  command: { type: "string" },
  prefix: { type: "string" },
  limit: { type: "string" },
  ttl: { type: "string" },
  expiration: { type: "string" },
  metadata: { type: "string" },
  "content-type": { type: "string" },
  "grace-ms": { type: "string" },
  "no-schema": { type: "boolean" },
  "no-data": { type: "boolean" },
  table: { type: "string", multiple: true },
  delimiter: { type: "string" },
  port: { type: "string" },
  host: { type: "string" },
  "s3-access-key-id": { type: "string" },
  "s3-secret-access-key": { type: "string" },
} as const;

export type CliValues = ReturnType<typeof parse>["values"];

/** What a command runs with. */
export interface CommandContext {
  readonly io: CliIo;
  readonly state: CellarState;
  /** `kv`, `r2`, `d1`, `do` or `gc`. */
  readonly group: string;
  readonly subcommand: string;
  readonly args: readonly string[];
  readonly values: CliValues;
  readonly json: boolean;
}

const GLOBAL = ["root", "engine", "json", "help"];
const ALLOWED: Record<string, Record<string, readonly string[]>> = {
  kv: {
    get: ["namespace"],
    put: ["namespace", "file", "ttl", "expiration", "metadata"],
    delete: ["namespace"],
    list: ["namespace", "prefix", "limit"],
  },
  r2: {
    get: ["bucket", "file"],
    put: ["bucket", "file", "content-type"],
    delete: ["bucket"],
    list: ["bucket", "prefix", "limit", "delimiter"],
  },
  d1: {
    execute: ["database", "command", "file"],
    export: ["database", "output", "no-schema", "no-data", "table"],
    import: ["database", "file"],
  },
  do: {
    list: ["unique-key"],
    get: ["unique-key", "name"],
    "delete-all": ["unique-key"],
  },
  gc: { "": ["grace-ms"] },
  serve: { "": ["port", "host", "s3-access-key-id", "s3-secret-access-key"] },
};

/** Subcommands that create what they write to; the others need an existing root. */
const WRITES = new Set(["kv put", "kv delete", "r2 put", "r2 delete", "d1 execute", "d1 import", "serve "]);

/** Commands that take no subcommand. */
const SINGLE = new Set(["gc", "serve"]);

/**
 * Joins `--option value` into `--option=value` for options that take a value, so values starting
 * with a dash work as written: Durable Object unique keys look like `-Counter`, and parseArgs
 * would otherwise refuse them as ambiguous.
 */
function joinValues(argv: readonly string[]): string[] {
  const joined: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index]!;
    const option = token.startsWith("--") ? OPTIONS[token.slice(2) as keyof typeof OPTIONS] : undefined;
    const next = argv[index + 1];
    if (option?.type === "string" && next !== undefined && next.startsWith("-") && !next.startsWith("--")) {
      joined.push(`${token}=${next}`);
      index++;
    } else {
      joined.push(token);
    }
  }
  return joined;
}

function parse(argv: readonly string[]) {
  return parseArgs({ args: joinValues(argv), options: OPTIONS, allowPositionals: true, strict: true });
}

/** Runs the CLI on `argv` (without `node` and the script) and resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const json = argv.includes("--json");
  let state: CellarState | undefined;
  try {
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(argv);
    } catch (error) {
      throw new UsageError((error as Error).message.split("\n")[0]!);
    }
    const { values, positionals } = parsed;
    const [command, ...rest] = positionals;
    if (command === "help") {
      const topic = rest[0];
      await write(io.stdout, topic !== undefined && COMMAND_HELP[topic] !== undefined ? COMMAND_HELP[topic] : PROGRAM_HELP);
      return 0;
    }
    if (command === undefined) {
      if (values.help) {
        await write(io.stdout, PROGRAM_HELP);
        return 0;
      }
      throw new UsageError("a command is needed");
    }
    const commands = ALLOWED[command];
    if (commands === undefined) throw new UsageError(`unknown command "${command}" (one of: ${Object.keys(ALLOWED).join(", ")})`);
    if (values.help) {
      await write(io.stdout, COMMAND_HELP[command]!);
      return 0;
    }
    const subcommand = SINGLE.has(command) ? "" : rest.shift();
    if (subcommand === undefined) throw new UsageError(`"cellar ${command}" needs a subcommand: ${Object.keys(commands).join(", ")}`, command);
    const allowed = commands[subcommand];
    if (allowed === undefined) throw new UsageError(`unknown subcommand "${command} ${subcommand}" (one of: ${Object.keys(commands).join(", ")})`, command);
    for (const option of Object.keys(values)) {
      if (!GLOBAL.includes(option) && !allowed.includes(option)) {
        throw new UsageError(`"cellar ${command}${subcommand ? ` ${subcommand}` : ""}" does not take --${option}`, command);
      }
    }
    const engine = values.engine ?? "native";
    if (engine !== "native" && engine !== "wasm") throw new UsageError(`--engine must be "native" or "wasm", got "${engine}"`);
    const root = values.root ?? "./.cellar";
    if (root === "") throw new UsageError("--root must not be empty");
    const readsOnly = !WRITES.has(`${command} ${subcommand}`);
    const opened = (state = await openState({ root, engine: engine as EngineKind, logger: { warn: (message) => io.stderr.write(`${message}\n`) } }));
    const context: CommandContext = {
      io,
      // Checked on first use, after the command has validated its own options and arguments,
      // so a usage error is reported as one (exit 2) whether or not the root exists.
      get state() {
        if (readsOnly && !existsSync(root)) {
          throw new OperationError(`the persist root ${root} does not exist (pass --root, e.g. --root .wrangler/state/v3)`, "ERR_NO_ROOT");
        }
        return opened;
      },
      group: command,
      subcommand,
      args: rest,
      values,
      json,
    };
    if (command === "kv") await runKV(context);
    else if (command === "r2") await runR2(context);
    else if (command === "d1") await runD1(context);
    else if (command === "do") await (subcommand === "delete-all" ? runDeleteAll(context) : runDurableObjects(context));
    else if (command === "serve") await runServe(context);
    else await runGc(context);
    await state.close();
    return 0;
  } catch (error) {
    await state?.close().catch(() => undefined);
    return report(io, error, json);
  }
}

async function report(io: CliIo, error: unknown, json: boolean): Promise<number> {
  const usage = error instanceof UsageError;
  const message = error instanceof Error ? error.message : String(error);
  const code = usage ? "ERR_USAGE" : ((error as { code?: unknown } | undefined)?.code as string | undefined);
  if (json) {
    await write(io.stderr, `${JSON.stringify({ error: { message, ...(code === undefined ? {} : { code }) } })}\n`);
  } else if (usage) {
    const hint = error.command === undefined ? "cellar --help" : `cellar ${error.command} --help`;
    await write(io.stderr, `cellar: ${message}\nRun "${hint}" for usage.\n`);
  } else {
    await write(io.stderr, `cellar: error: ${message}\n`);
  }
  return usage ? 2 : 1;
}

/** The positional arguments of a subcommand, or a usage error naming what is missing or extra. */
export function positionals(context: CommandContext, names: readonly string[], optional: readonly string[] = []): string[] {
  const { args } = context;
  const command = commandOf(context);
  if (args.length < names.length) throw new UsageError(`"cellar ${command}" needs <${names[args.length]}>`, context.group);
  if (args.length > names.length + optional.length) throw new UsageError(`"cellar ${command}" takes ${[...names, ...optional].map((name) => `<${name}>`).join(" ") || "no arguments"}, got extra "${args[names.length + optional.length]}"`, context.group);
  return [...args];
}

/** A required option's value, or a usage error. */
export function required(context: CommandContext, option: keyof CliValues): string {
  const value = context.values[option];
  if (typeof value !== "string" || value === "") throw new UsageError(`"cellar ${commandOf(context)}" needs --${option}`, context.group);
  return value;
}

/** A non-negative integer option, or a usage error. */
export function integerOption(context: CommandContext, option: keyof CliValues): number | undefined {
  const value = context.values[option];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !/^\d+$/.test(value)) throw new UsageError(`--${option} must be a non-negative integer, got "${String(value)}"`, context.group);
  return Number(value);
}

function commandOf(context: CommandContext): string {
  return `${context.group}${context.subcommand ? ` ${context.subcommand}` : ""}`;
}
