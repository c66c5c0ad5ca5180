import type { RunReport } from '../generated/schemas.js';

export const REPORT_JSON = 'report.json';

/** report.json's exact text: the certificate digests these bytes. */
export function renderJsonReport(report: RunReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
