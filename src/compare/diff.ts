// `pame diff OLD NEW`: what changed between two runs of the same Hives, per
// Hive: checks and rules that newly fail, newly pass, or fail at another level.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { isFailingStatus } from '../checks/outcome.js';
import type { CheckLevel, CheckResult, RunReport } from '../generated/schemas.js';
import { readRunReport } from '../reports/html.js';
import { REPORT_JSON } from '../reports/json.js';
import { FLEET_JSON } from '../scan/fleet-files.js';
import { readFleet } from '../scan/merge.js';

export interface Change {
  /** A check id or a rule id. */
  readonly id: string;
  readonly before: string;
  readonly after: string;
}

export interface TargetDiff {
  readonly target: string;
  /** Present in one run only: 'added' (NEW only) or 'removed' (OLD only). */
  readonly presence?: 'added' | 'removed';
  readonly newlyFailing: readonly Change[];
  readonly newlyPassing: readonly Change[];
  readonly levelChanged: readonly Change[];
}

const LEVEL_ORDER: readonly CheckLevel[] = ['SHOULD', 'MUST', 'F'];

/** The worst level a failed check failed at: what its failure weighs in the verdict. */
function failedLevel(check: CheckResult): CheckLevel | undefined {
  if (check.status !== 'failed') return undefined;
  return check.failures.reduce<CheckLevel | undefined>((worst, f) => (worst === undefined || LEVEL_ORDER.indexOf(f.level) > LEVEL_ORDER.indexOf(worst) ? f.level : worst), undefined);
}

/** Status changes of one kind of item (checks or rules) between two runs. */
function compare(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>, levels: { before: ReadonlyMap<string, string>; after: ReadonlyMap<string, string> }) {
  const newlyFailing: Change[] = [];
  const newlyPassing: Change[] = [];
  const levelChanged: Change[] = [];
  for (const [id, now] of after) {
    const was = before.get(id) ?? 'absent';
    if (isFailingStatus(now) && !isFailingStatus(was)) newlyFailing.push({ id, before: was, after: now });
    else if (now === 'passed' && isFailingStatus(was)) newlyPassing.push({ id, before: was, after: now });
    else if (now === 'failed' && was === 'failed' && levels.before.get(id) !== levels.after.get(id)) levelChanged.push({ id, before: levels.before.get(id) ?? '?', after: levels.after.get(id) ?? '?' });
  }
  return { newlyFailing, newlyPassing, levelChanged };
}

/** Compares two reports of one Hive; an absent report (a run not carried out) has no checks and no rules. */
export function diffReports(target: string, old: RunReport | undefined, now: RunReport | undefined): TargetDiff {
  const statuses = (report?: RunReport) => new Map((report?.checks ?? []).map((c) => [c.id, c.status]));
  const checkLevels = (report?: RunReport) => new Map((report?.checks ?? []).flatMap((c) => { const level = failedLevel(c); return level ? [[c.id, level] as const] : []; }));
  const ruleStatuses = (report?: RunReport) => new Map((report?.rules ?? []).map((r) => [r.id, r.status]));
  const ruleLevels = (report?: RunReport) => new Map((report?.rules ?? []).map((r) => [r.id, r.level]));
  const checks = compare(statuses(old), statuses(now), { before: checkLevels(old), after: checkLevels(now) });
  const rules = compare(ruleStatuses(old), ruleStatuses(now), { before: ruleLevels(old), after: ruleLevels(now) });
  return {
    target,
    newlyFailing: [...checks.newlyFailing, ...rules.newlyFailing],
    newlyPassing: [...checks.newlyPassing, ...rules.newlyPassing],
    levelChanged: [...checks.levelChanged, ...rules.levelChanged],
  };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

/** Every Hive's report in a directory: a fleet directory's, by URL, or a report directory's one. */
async function reportsIn(dir: string): Promise<Map<string, () => Promise<RunReport | undefined>>> {
  if (await exists(join(dir, FLEET_JSON))) {
    const fleet = await readFleet(dir);
    // A Hive whose run was not carried out has no report.json.
    return new Map(fleet.targets.map((t) => [t.url, () => (t.verdict === 'not carried out' ? Promise.resolve(undefined) : readRunReport(join(dir, t.reportDir, REPORT_JSON)))]));
  }
  const report = await readRunReport(join(dir, REPORT_JSON));
  return new Map([[report.target, async () => report]]);
}

/** The changes from OLD to NEW, per Hive; two single reports are compared whatever their targets' URLs. */
export async function diffRuns(oldDir: string, newDir: string): Promise<TargetDiff[]> {
  const [old, now] = await Promise.all([reportsIn(oldDir), reportsIn(newDir)]);
  const single = old.size === 1 && now.size === 1 && !(await exists(join(oldDir, FLEET_JSON))) && !(await exists(join(newDir, FLEET_JSON)));
  if (single) {
    const [readOld] = old.values();
    const [[target, readNew]] = [...now.entries()] as [[string, () => Promise<RunReport | undefined>]];
    return [diffReports(target, await readOld!(), await readNew())];
  }
  const none = { newlyFailing: [], newlyPassing: [], levelChanged: [] };
  const diffs: TargetDiff[] = [];
  for (const url of [...new Set([...old.keys(), ...now.keys()])].sort()) {
    const [readOld, readNew] = [old.get(url), now.get(url)];
    if (!readOld) diffs.push({ target: url, presence: 'added', ...none });
    else if (!readNew) diffs.push({ target: url, presence: 'removed', ...none });
    else diffs.push(diffReports(url, await readOld(), await readNew()));
  }
  return diffs;
}

/** The diff as text for a terminal or a CI log; ids and statuses only, nothing a Hive wrote. */
export function renderDiff(diffs: readonly TargetDiff[]): string {
  const lines: string[] = [];
  const list = (label: string, changes: readonly Change[]) => changes.length && lines.push(`  ${label}: ${changes.map((c) => `${c.id} (${c.before} → ${c.after})`).join(', ')}`);
  for (const diff of diffs) {
    if (diff.presence) {
      lines.push(`${diff.target}: only in the ${diff.presence === 'added' ? 'new' : 'old'} run`);
      continue;
    }
    const changed = diff.newlyFailing.length + diff.newlyPassing.length + diff.levelChanged.length;
    lines.push(`${diff.target}: ${changed === 0 ? 'no change' : `${changed} change(s)`}`);
    list('newly failing', diff.newlyFailing);
    list('newly passing', diff.newlyPassing);
    list('level changed', diff.levelChanged);
  }
  return lines.join('\n') + '\n';
}
