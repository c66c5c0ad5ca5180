import { explainFailure } from '../validator/evidence.js';
import type { CheckResult, RunReport } from '../generated/schemas.js';
import { checksByFamily } from './families.js';

export const JUNIT_XML = 'junit.xml';

// XML 1.0 allows only these characters; replies of a hostile Hive may hold anything else.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text safe inside an XML attribute or element: escaped, characters XML cannot hold replaced by U+FFFD. */
export function xmlText(text: string): string {
  return text
    .replace(NOT_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${xmlText(String(value))}"`)
    .join('');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** The first line of a message, for the short `message` attribute; the element's text carries all of it. */
function headline(text: string): string {
  return text.split('\n')[0] ?? '';
}

function outcomeOf(check: CheckResult): string {
  switch (check.status) {
    case 'passed':
      return '';
    case 'failed':
      return check.failures
        .map((failure) => `      <failure${attributes({ message: `[${failure.rule}] ${headline(failure.message)}`, type: `${failure.level} ${failure.rule}` })}>${xmlText(explainFailure(failure))}</failure>\n`)
        .join('');
    case 'error':
      return `      <error${attributes({ message: headline(check.message), type: 'runner' })}>${xmlText(check.message)}</error>\n`;
    case 'timeout':
      return `      <error${attributes({ message: headline(check.message), type: 'timeout' })}>${xmlText(check.message)}</error>\n`;
    case 'skipped':
      return `      <skipped${attributes({ message: check.message })}/>\n`;
    case 'waived':
      return `      <skipped${attributes({ message: `waived until ${check.waiver?.expires ?? '?'}: ${check.waiver?.reason ?? ''} (failure: ${headline(check.message)})` })}/>\n`;
  }
}

function testcase(family: string, check: CheckResult): string {
  const name = `${check.id} [${check.rules.join(' ')}] ${check.title}`;
  const properties = [
    ['check', check.id],
    ['rules', check.rules.join(' ')],
    ['level', check.level],
    ['code', check.code],
    ...(check.waiver ? [['waiver', `${check.waiver.state ?? 'applied'} until ${check.waiver.expires}: ${check.waiver.reason}`]] : []),
  ];
  const props = `      <properties>\n${properties.map(([n, v]) => `        <property${attributes({ name: n!, value: v! })}/>\n`).join('')}      </properties>\n`;
  const notes = check.notes?.length ? `      <system-out>${xmlText(check.notes.join('\n'))}</system-out>\n` : '';
  return `    <testcase${attributes({ classname: `pame.${family}`, name, time: seconds(check.durationMs) })}>\n${props}${outcomeOf(check)}${notes}    </testcase>\n`;
}

function counts(checks: readonly CheckResult[]): Record<string, number> {
  const count = (...statuses: CheckResult['status'][]) => checks.filter((c) => statuses.includes(c.status)).length;
  return { tests: checks.length, failures: count('failed'), errors: count('error', 'timeout'), skipped: count('skipped', 'waived') };
}

/**
 * junit.xml for CI: one testsuite per check family, one testcase per check
 * (rule ids in its name and properties), failures with their message, evidence
 * and curl line, skips with their reason. Waived failures are skipped, with the waiver.
 */
export function renderJunit(report: RunReport): string {
  const suites = [...checksByFamily(report.checks)].map(([family, checks]) => {
    const time = seconds(checks.reduce((sum, c) => sum + c.durationMs, 0));
    return `  <testsuite${attributes({ name: `PAME-${family}`, ...counts(checks), time, timestamp: report.startedAt })}>\n${checks.map((c) => testcase(family, c)).join('')}  </testsuite>\n`;
  });
  const head = attributes({ name: `pame-conformance ${report.suiteVersion}: ${report.target} is ${report.verdict}`, ...counts(report.checks), time: seconds(report.durationMs) });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${head}>\n${suites.join('')}</testsuites>\n`;
}
