import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunReport } from '../generated/schemas.js';

export async function writeJsonReport(report: RunReport, reportDir: string): Promise<string> {
  await mkdir(reportDir, { recursive: true });
  const path = join(reportDir, 'report.json');
  await writeFile(path, JSON.stringify(report, null, 2) + '\n');
  return path;
}
