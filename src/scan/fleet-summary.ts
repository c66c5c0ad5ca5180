import type { FamilyStatus, FleetReport, FleetTarget } from '../generated/schemas.js';
import { markdownText } from '../reports/markdown.js';
import { RULE_FAMILY_LETTERS, fleetExitCode, worstFirst } from './fleet.js';

const VERDICT_MARK: Record<FleetTarget['verdict'], string> = { conformant: '✅', 'conformant with warnings': '⚠️', incomplete: '⏸️', nonconformant: '❌', bannable: '⛔', 'not carried out': '❔' };
export const FAMILY_MARK: Record<FamilyStatus, string> = { failed: '✗', error: '!', timeout: '⧗', waived: 'w', passed: '✓', skipped: '·' };

/**
 * fleet.md, a CI job summary: one row per target, worst first, with its
 * verdict and a cell per rule family. Whatever a Hive chose (its domain) is
 * escaped, so the summary shows it and never renders it.
 */
export function renderFleetMarkdown(fleet: FleetReport): string {
  const targets = worstFirst(fleet.targets);
  const tally = new Map<string, number>();
  for (const target of targets) tally.set(target.verdict, (tally.get(target.verdict) ?? 0) + 1);
  const header = ['', 'target', 'domain', 'verdict', 'decision', ...RULE_FAMILY_LETTERS, 'failed rules'];
  const rows = targets.map((t) => [
    VERDICT_MARK[t.verdict],
    `[${markdownText(t.url)}](${encodeURI(t.reportDir)}/)`,
    t.domain === null ? '—' : markdownText(t.domain),
    t.verdict + (t.error ? `: ${markdownText(t.error)}` : ''),
    t.decision ?? '—',
    ...RULE_FAMILY_LETTERS.map((family) => { const status = t.families[family]; return status ? FAMILY_MARK[status] : '—'; }),
    t.failedRules.join(' ') || '—',
  ]);
  return [
    `# PAME 0.2.1 fleet scan: ${targets.length} Hives, exit ${fleetExitCode(targets)}`,
    '',
    [...tally].map(([verdict, n]) => `${VERDICT_MARK[verdict as FleetTarget['verdict']]} ${n} ${verdict}`).join(' · '),
    '',
    `seed ${fleet.options.seed}, fuzz runs ${fleet.options.fuzzRuns}${fleet.options.only.length ? `, only ${fleet.options.only.map(markdownText).join(' ')}` : ''}${fleet.options.skip.length ? `, skip ${fleet.options.skip.map(markdownText).join(' ')}` : ''}. Cells: ${Object.entries(FAMILY_MARK).map(([status, mark]) => `${mark} ${status}`).join(', ')}.`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => ' --- ').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    ...(fleet.notes?.length ? ['', '## Notes', '', ...fleet.notes.map((note) => `- ${markdownText(note)}`)] : []),
    '',
  ].join('\n');
}
