// The three files of a fleet directory, written by `pame scan` and `pame merge`.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FleetReport } from '../generated/schemas.js';
import { renderFleetHtml } from './fleet-html.js';
import { renderFleetMarkdown } from './fleet-summary.js';

export const FLEET_JSON = 'fleet.json';
export const FLEET_MD = 'fleet.md';
export const FLEET_HTML = 'fleet.html';

/** Writes fleet.json, fleet.md and fleet.html into the fleet directory; returns their paths. */
export async function writeFleet(dir: string, fleet: FleetReport): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: [string, string][] = [
    [FLEET_JSON, JSON.stringify(fleet, null, 2) + '\n'],
    [FLEET_MD, renderFleetMarkdown(fleet)],
    [FLEET_HTML, renderFleetHtml(fleet)],
  ];
  for (const [name, text] of files) await writeFile(join(dir, name), text);
  return files.map(([name]) => join(dir, name));
}

