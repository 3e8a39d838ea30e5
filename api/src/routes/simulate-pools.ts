/**
 * The coupon pools a replay draws from. The engine's simulate starts with every pool empty, so a simulation of a
 * journey whose reward names a pool would refuse every grant `pool_empty`. A replay is handed, for each pool the
 * journey names, the codes the request gives (`pools: {name: [codes]}`), or else the samples' pool file
 * (samples/pools/<pool>.csv, .json or .txt: what `npm start` imports into the engine).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import {
  CouponCode,
  kindOf,
  MAX_POOL_FILE_BYTES,
  MAX_POOL_IMPORT,
  parseCouponFile,
  PoolName,
  type ExecutableJourney,
} from "@lifeloop/shared";

/** The most pools one request may give. */
const MAX_POOLS = 32;

export const SimulatePools = z
  .record(PoolName, z.array(CouponCode).max(MAX_POOL_IMPORT))
  .refine((p) => Object.keys(p).length <= MAX_POOLS, `at most ${MAX_POOLS} pools`)
  .meta({
    description:
      "Coupon pools' codes, in the order grants take them, by pool. A pool the journey names and this does not " +
      "give is the sample's (samples/pools/<pool>.csv), or empty.",
  });

const SAMPLE_POOL_FILES = [".csv", ".json", ".txt"];

/** The pools the journey's nodes name (a reward's coupon `pool`), as the kinds declare them. */
function poolsNamed(executable: ExecutableJourney): string[] {
  const names = Object.values(executable.nodes).map((n) => kindOf(n.kind)?.report?.couponPool?.(n.params) ?? null);
  return [...new Set(names.filter((p): p is string => p !== null))].sort();
}

/** The codes of the sample pool file for `pool`, or null when the samples have none. */
function samplePool(samplesDir: string, pool: string): string[] | null {
  for (const ext of SAMPLE_POOL_FILES) {
    const file = join(samplesDir, "pools", `${pool}${ext}`);
    if (!existsSync(file)) continue;
    const text = readFileSync(file, "utf8");
    if (text.length > MAX_POOL_FILE_BYTES) throw new Error(`sample pool ${file} is over ${MAX_POOL_FILE_BYTES} bytes`);
    const read = parseCouponFile(text);
    // A broken sample is the server's fault, not the request's: a 500 that names the file.
    if ("issues" in read) throw new Error(`sample pool ${file}: ${read.issues[0]!.path}: ${read.issues[0]!.message}`);
    return read.codes;
  }
  return null;
}

/** The pools a replay of `executable` is handed: the request's where it gives one, else the samples'. */
export function replayPools(
  samplesDir: string,
  executable: ExecutableJourney,
  given: Record<string, string[]> | undefined,
): Record<string, string[]> {
  const pools: Record<string, string[]> = { ...given };
  for (const pool of poolsNamed(executable)) {
    if (pools[pool] !== undefined) continue;
    const codes = samplePool(samplesDir, pool);
    if (codes) pools[pool] = codes;
  }
  return pools;
}
