// badge.svg names the waivers of a run as the certificate records them: the waived checks, how many,
// and the digest of the waivers file, so a badge cannot stand for a run with other waivers.
import { describe, expect, it } from 'vitest';
import { renderBadge } from '../../src/reports/badge.js';
import { passingReport, SAMPLE_CHECKS, sampleReport } from './sample-report.js';

const SHA256 = '0123456789abcdef'.repeat(4);
const conformantWithWaiver = (overrides = {}) => sampleReport(SAMPLE_CHECKS.filter((check) => check.status === 'passed' || check.status === 'waived'), { waivers: { sha256: SHA256, applied: ['PAME-MSG-002'] }, ...overrides });

describe('renderBadge', () => {
  it('shows the waived count and the short digest of the waivers file on its face, the ids and the whole digest in its title', () => {
    const report = conformantWithWaiver();
    expect(report.verdict).toBe('conformant with warnings');
    const badge = renderBadge(report)!;
    expect(badge).toContain('aria-label="PAME 0.2.1: conformant with warnings, 1 waived (waivers 0123456789ab)"');
    expect(badge).toContain('>conformant with warnings, 1 waived (waivers 0123456789ab)</text>');
    expect(badge).toMatch(/<title>[^<]*; waived: PAME-MSG-002 \(waivers file sha256 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\)<\/title>/);
  });

  it('names neither waivers nor a digest for a run that waived nothing', () => {
    const badge = renderBadge(passingReport())!;
    expect(badge).toContain('aria-label="PAME 0.2.1: conformant"');
    expect(badge).not.toMatch(/waive/);
  });

  it('is not drawn for an incomplete run, waivers or not', () => {
    expect(renderBadge(conformantWithWaiver({ complete: false }))).toBeUndefined();
  });
});
