import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { childNodeOptions } from "./child-node-options.ts";
import { reportFigure } from "./report.ts";
import { MiB } from "./sources.ts";

/** Peak RSS above baseline while streaming a 1 GiB blob in and out (target < 100 MiB). */
export async function benchPeakRss(sizeMiB = 1024): Promise<void> {
  const child = fileURLToPath(new URL("./rss-child.ts", import.meta.url));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...childNodeOptions(), child, String(sizeMiB * MiB)],
    { maxBuffer: 1 << 20 },
  );
  const { baseline, peakWrite, peakRead } = JSON.parse(stdout) as Record<string, number>;
  for (const [phase, peak] of [["write", peakWrite!], ["read", peakRead!]] as const) {
    const above = (peak - baseline!) / MiB;
    reportFigure({
      name: `peak RSS, ${sizeMiB} MiB stream ${phase}`,
      value: `${above.toFixed(1)} MiB above baseline (${(baseline! / MiB).toFixed(0)} MiB)`,
      note: above < 100 ? "ok (target < 100 MiB)" : "ABOVE target 100 MiB",
    });
  }
}
