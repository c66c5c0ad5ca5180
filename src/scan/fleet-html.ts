import type { FamilyStatus, FleetReport } from '../generated/schemas.js';
import { RULE_FAMILY_LETTERS, fleetExitCode, worstFirst } from './fleet.js';
import { FAMILY_MARK } from './fleet-summary.js';

function html(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const CELL_COLOR: Record<FamilyStatus, string> = { failed: '#f4b6b6', error: '#f6d7a7', timeout: '#f6d7a7', waived: '#ddd', passed: '#c6ebc6', skipped: '#f3f3f3' };

/**
 * fleet.html: targets × rule families, each cell linking to that target's
 * summary (summary.md, or report.json beside it). A static page: no script,
 * every text escaped.
 */
export function renderFleetHtml(fleet: FleetReport): string {
  const targets = worstFirst(fleet.targets);
  const rows = targets.map((t) => {
    const link = (anchor: string) => `<a href="${html(encodeURI(`${t.reportDir}/summary.md`))}">${anchor}</a>`;
    const cells = RULE_FAMILY_LETTERS.map((family) => {
      const status = t.families[family];
      return status ? `<td style="background:${CELL_COLOR[status]}" title="${html(`${family}: ${status}`)}">${link(html(FAMILY_MARK[status]))}</td>` : '<td>—</td>';
    });
    return `<tr><td>${link(html(t.url))}</td><td>${html(t.domain ?? '—')}</td><td>${html(t.verdict)}${t.error ? `<br><small>${html(t.error)}</small>` : ''}</td><td>${html(t.decision ?? '—')}</td>${cells.join('')}<td>${html(t.failedRules.join(' ') || '—')}</td></tr>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PAME 0.2.1 fleet scan</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:center}td:first-child{text-align:left}</style></head>
<body><h1>PAME 0.2.1 fleet scan: ${targets.length} Hives, exit ${fleetExitCode(targets)}</h1>
<p>seed ${fleet.options.seed}, fuzz runs ${fleet.options.fuzzRuns}</p>
<table><thead><tr><th>target</th><th>domain</th><th>verdict</th><th>decision</th>${RULE_FAMILY_LETTERS.map((f) => `<th>${html(f)}</th>`).join('')}<th>failed rules</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
${fleet.notes?.length ? `<h2>Notes</h2><ul>${fleet.notes.map((n) => `<li>${html(n)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}
