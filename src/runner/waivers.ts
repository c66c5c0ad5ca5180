import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { CheckResult, Waiver, WaiverFile } from '../generated/schemas.js';
import { schemaValidator } from '../validator/schemas.js';

export interface LoadedWaivers {
  readonly waivers: Waiver[];
  /** SHA-256 of the file, so a report and certificate name exactly which waivers were in force. */
  readonly sha256: string;
}

export async function loadWaivers(path: string): Promise<LoadedWaivers> {
  const bytes = await readFile(path);
  const data: unknown = JSON.parse(bytes.toString('utf8'));
  const validate = schemaValidator('run/waivers.json');
  if (!validate(data)) throw new Error(`${path} is not a waiver file: ${validate.errors?.map((e) => `${e.instancePath} ${e.message}`).join('; ')}`);
  return { waivers: (data as WaiverFile).waivers, sha256: createHash('sha256').update(bytes).digest('hex') };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Refuses waivers that expire more than `maxDays` after `runStart`: a waiver
 * is a fix an implementer is carrying, not a standing exemption. Throws one
 * error naming each, with the latest date allowed.
 */
export function refuseLongWaivers(waivers: readonly Waiver[], maxDays: number, runStart: Date, path: string): void {
  const latest = new Date(runStart.getTime() + maxDays * DAY_MS).toISOString().slice(0, 10);
  const tooLong = waivers.filter((w) => w.expires > latest);
  if (tooLong.length > 0) {
    throw new Error(`${path}: a waiver may run at most ${maxDays} days (until ${latest}; the policy's waivers.maxLifetimeDays sets it); refused: ${tooLong.map((w) => `${w.check} expires ${w.expires}`).join(', ')}`);
  }
}

export interface WaiverOutcome {
  readonly results: CheckResult[];
  /** Waivers whose check passed or no longer exists: they should be removed. */
  readonly stale: string[];
  /** Waivers past their date: they fail the run. */
  readonly expired: string[];
  /** Waivers of checks with an F-level failure: refused, the failure stands. */
  readonly refused: string[];
}

/**
 * A waived failure is reported as waived; an expired waiver leaves the failure
 * standing and is named; a waiver whose check passes or is gone is stale. A
 * check with an F-level failure is never waived: a ban is not an implementer's
 * to set aside, so the failure and its evidence stand and the waiver is shown
 * beside it as refused.
 */
export function applyWaivers(results: readonly CheckResult[], waivers: readonly Waiver[], knownIds: ReadonlySet<string>, today = new Date().toISOString().slice(0, 10)): WaiverOutcome {
  const stale: string[] = [];
  const expired: string[] = [];
  const refused: string[] = [];
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
    if (result.failures.some((failure) => failure.level === 'F')) {
      refused.push(`${waiver.check}: an F-level failure (${[...new Set(result.failures.filter((f) => f.level === 'F').map((f) => f.rule))].join(', ')}) cannot be waived`);
      return { ...result, waiver: { ...note, state: 'refused' } };
    }
    return { ...result, status: 'waived', waiver: { ...note, state: 'applied' } };
  });
  return { results: out, stale, expired, refused };
}
