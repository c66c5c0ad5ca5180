// `pame merge`: the fleet directories of a sharded scan joined into one, as
// the unsharded scan would have written it (timings apart).
import { cp, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { FleetReport } from '../generated/schemas.js';
import { schemaValidator } from '../validator/schemas.js';
import { FLEET_JSON } from './fleet-files.js';
import { byUrl } from './fleet.js';

/** Shards that cannot be joined: the merge writes nothing. */
export class MergeError extends Error {}

export async function readFleet(dir: string): Promise<FleetReport> {
  const path = join(dir, FLEET_JSON);
  const data: unknown = JSON.parse(await readFile(path, 'utf8').catch((error: Error) => Promise.reject(new MergeError(`${path}: ${error.message}`))));
  const validate = schemaValidator('run/fleet.json');
  if (!validate(data)) throw new MergeError(`${path} is not a fleet report: ${validate.errors?.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ')}`);
  return data as FleetReport;
}

/** Joins the shards' fleets; refuses shards scanned with other options, or that certified a target (or a domain) twice. */
export function mergeFleets(shards: readonly { dir: string; fleet: FleetReport }[]): FleetReport {
  const [first] = shards;
  if (!first) throw new MergeError('name the fleet directories to merge');
  for (const { dir, fleet } of shards) {
    if (!isDeepStrictEqual(fleet.options, first.fleet.options)) throw new MergeError(`${dir} was scanned with other options than ${first.dir}: ${JSON.stringify(fleet.options)} against ${JSON.stringify(first.fleet.options)}`);
    if (fleet.suiteVersion !== first.fleet.suiteVersion) throw new MergeError(`${dir} was scanned by pame-conformance ${fleet.suiteVersion}, ${first.dir} by ${first.fleet.suiteVersion}`);
  }
  const owner = new Map<string, string>();
  for (const { dir, fleet } of shards) {
    for (const target of fleet.targets) {
      for (const key of [target.url, ...(target.domain === null ? [] : [`domain ${target.domain}`])]) {
        const other = owner.get(key);
        if (other !== undefined) throw new MergeError(`${key} is in both ${other} and ${dir}: the shards overlap`);
        owner.set(key, dir);
      }
    }
  }
  const notes = shards.flatMap(({ fleet }) => fleet.notes ?? []);
  return {
    profile: '0.2.1',
    suiteVersion: first.fleet.suiteVersion,
    options: first.fleet.options,
    ...(notes.length ? { notes } : {}),
    durationMs: Math.max(...shards.map(({ fleet }) => fleet.durationMs ?? 0)),
    targets: byUrl(shards.flatMap(({ fleet }) => fleet.targets)),
  };
}

/** Copies every target's report directory into the merged fleet directory (nothing to copy when it is already there). */
export async function gatherReportDirs(shards: readonly { dir: string; fleet: FleetReport }[], into: string): Promise<void> {
  for (const { dir, fleet } of shards) {
    if (resolve(dir) === resolve(into)) continue;
    for (const target of fleet.targets) await cp(join(dir, target.reportDir), join(into, target.reportDir), { recursive: true, force: true }).catch(() => undefined);
  }
}
