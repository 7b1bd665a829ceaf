import { write, writeJson } from "./cli-io.js";
import { integerOption, positionals, type CommandContext } from "./run-cli.js";

/** `cellar gc`. */
export async function runGc(context: CommandContext): Promise<void> {
  positionals(context, []);
  const graceMs = integerOption(context, "grace-ms");
  const report = await context.state.gc(graceMs === undefined ? {} : { graceMs });
  if (context.json) {
    await writeJson(context.io, report);
    return;
  }
  const lines = report.namespaces.map((entry) =>
    entry.skipped !== undefined
      ? `${entry.product}\t(unknown name)\tskipped: ${entry.skipped}\t${entry.file}`
      : `${entry.product}\t${entry.name}\t${entry.expiredEntries} expired, ${entry.orphanBlobs} orphan blobs, ${entry.partialWrites} partial writes, ${entry.freedBytes} bytes freed`,
  );
  const { total } = report;
  lines.push(`total\t${total.expiredEntries} expired, ${total.orphanBlobs} orphan blobs, ${total.partialWrites} partial writes, ${total.freedBytes} bytes freed in ${report.namespaces.length} namespaces`);
  await write(context.io.stdout, lines.map((line) => `${line}\n`).join(""));
}
