import type { RunReport, Verdict } from '../generated/schemas.js';
import { xmlText } from './junit.js';

export const BADGE_SVG = 'badge.svg';

const COLOR: Partial<Record<Verdict, string>> = { conformant: '#2e7d32', 'conformant with warnings': '#9a6700' };

// Verdana 11px averages about 6.5 px a character; the badge only needs to fit its text.
const width = (text: string) => Math.round(text.length * 6.5) + 12;

/** How much of the waivers file's SHA-256 the badge's face shows: enough to tell two files apart at a glance; its title holds the whole. */
const SHORT_DIGEST_CHARS = 12;

/**
 * A badge for a complete, conformant run (with or without warnings); none for any other. Waivers are
 * named on it as the certificate records them: the waived checks, counted, and the waivers file's digest.
 */
export function renderBadge(report: RunReport): string | undefined {
  const color = report.complete ? COLOR[report.verdict] : undefined;
  if (!color) return undefined;
  const waived = report.checks.filter((check) => check.status === 'waived').map((check) => check.id);
  const digest = report.waivers?.sha256;
  const label = `PAME ${report.profile}`;
  const value = waived.length > 0 ? `${report.verdict}, ${waived.length} waived${digest ? ` (waivers ${digest.slice(0, SHORT_DIGEST_CHARS)})` : ''}` : report.verdict;
  const named = waived.length > 0 ? `; waived: ${waived.join(', ')}${digest ? ` (waivers file sha256 ${digest})` : ''}` : '';
  const title = `${report.target} is ${report.verdict} (pame-conformance ${report.suiteVersion}, ${report.startedAt})${named}`;
  const [lw, vw] = [width(label), width(value)];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${lw + vw}" height="20" role="img" aria-label="${xmlText(`${label}: ${value}`)}">
  <title>${xmlText(title)}</title>
  <rect width="${lw}" height="20" fill="#555"/>
  <rect x="${lw}" width="${vw}" height="20" fill="${color}"/>
  <g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">
    <text x="${lw / 2}" y="14">${xmlText(label)}</text>
    <text x="${lw + vw / 2}" y="14">${xmlText(value)}</text>
  </g>
</svg>
`;
}
