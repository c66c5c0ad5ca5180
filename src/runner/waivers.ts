import { readFile } from 'node:fs/promises';
import type { CheckResult, Waiver, WaiverFile } from '../generated/schemas.js';
import { schemaValidator } from '../validator/schemas.js';

export async function loadWaivers(path: string): Promise<Waiver[]> {
  const data: unknown = JSON.parse(await readFile(path, 'utf8'));
  const validate = schemaValidator('run/waivers.json');
  if (!validate(data)) throw new Error(`${path} is not a waiver file: ${validate.errors?.map((e) => `${e.instancePath} ${e.message}`).join('; ')}`);
  return (data as WaiverFile).waivers;
}

export interface WaiverOutcome {
  readonly results: CheckResult[];
  /** Waivers whose check passed or no longer exists: they should be removed. */
  readonly stale: string[];
  /** Waivers past their date: they fail the run. */
  readonly expired: string[];
}

/**
 * A waived failure is reported as waived; an expired waiver leaves the failure
 * standing and is named; a waiver whose check passes or is gone is stale.
 */
export function applyWaivers(results: readonly CheckResult[], waivers: readonly Waiver[], knownIds: ReadonlySet<string>, today = new Date().toISOString().slice(0, 10)): WaiverOutcome {
  const stale: string[] = [];
  const expired: string[] = [];
  const byCheck = new Map(waivers.map((w) => [w.check, w]));
  for (const waiver of waivers) {
    const result = results.find((r) => r.id === waiver.check);
    if (!knownIds.has(waiver.check) || (result && result.status === 'passed')) stale.push(`${waiver.check}: ${knownIds.has(waiver.check) ? 'the check passes now' : 'no such check'}`);
  }
  const out = results.map((result): CheckResult => {
    const waiver = byCheck.get(result.id);
    if (!waiver) return result;
    const note = { reason: waiver.reason, expires: waiver.expires, ...(waiver.link ? { link: waiver.link } : {}) };
    if (waiver.expires < today) {
      expired.push(`${waiver.check}: waiver expired on ${waiver.expires}`);
      return { ...result, waiver: { ...note, state: 'expired' } };
    }
    if (result.status !== 'failed') return { ...result, waiver: { ...note, state: 'stale' } };
    return { ...result, status: 'waived', waiver: { ...note, state: 'applied' } };
  });
  return { results: out, stale, expired };
}
