import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Writes one file of the report directory, creating the directory; returns its path. */
export async function writeReportFile(reportDir: string, name: string, content: string | Uint8Array): Promise<string> {
  await mkdir(reportDir, { recursive: true });
  const path = join(reportDir, name);
  await writeFile(path, content);
  return path;
}

/** Removes a file an earlier run left that this run does not earn (a badge, ban evidence), so no stale file misleads. */
export async function removeReportFile(reportDir: string, name: string): Promise<void> {
  await rm(join(reportDir, name), { force: true, recursive: true });
}
