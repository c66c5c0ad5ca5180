// A Hive whose replies carry Markdown, HTML and control characters (lone CR,
// U+2028/2029, escape sequences, bidi overrides) in member names and values:
// summary.md and the Allure descriptions, rendered as a CI job summary renders
// them, show that text and nothing else — no forged heading, link, table row
// or tag — and hold no control character.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { afterAll, describe, expect, it } from 'vitest';
import { createHive, TEST_PASSWORD_COST } from '../../src/hive/index.js';
import { writeReports } from '../../src/reports/index.js';
import { markdownText, fenced } from '../../src/reports/markdown.js';
import { DEFAULT_RUN_OPTIONS } from '../../src/runner/options.js';
import { runConformance } from '../../src/runner/run.js';
import { CATALOG } from '../../suites/catalog.js';
import { TEST_DOMAIN } from '../support/run-checks.js';

const INJECTION = 'x\r## Forged heading\r\n| forged | row |\n|---|---|\u2028# Forged h1\u2029[click](https://evil.example/) https://evil.example/a www.evil.example <img src=x onerror=alert(1)> <script>alert(1)</script> &lt;b&gt; ![i](x) ``` ~~~ \u001b[2J\u001b]0;owned\u0007 \u202eevil\u0085end';

/** Rendered as GitHub renders a job summary: HTML allowed, bare URLs linked. */
const markdown = new MarkdownIt({ html: true, linkify: true });

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/;

function expectInert(source: string, headings: RegExp): void {
  expect(source).not.toMatch(CONTROL);
  const html = markdown.render(source);
  expect(html).not.toMatch(/<(a|img|script)\b/);
  expect(html).not.toMatch(/<td>\s*(forged|row)\s*<\/td>/);
  for (const [, heading] of html.matchAll(/<h\d>(.*?)<\/h\d>/g)) expect(heading).toMatch(headings);
}

describe('Markdown escaping', () => {
  it('keeps hostile text on one inert line', () => {
    const line = `- ${markdownText(INJECTION)}`;
    expect(line.split('\n')).toHaveLength(1);
    expectInert(line, /^$/);
    expect(markdown.renderInline(markdownText('a_b *c* <d> `e` https://f.example'))).toBe('a_b *c* &lt;d&gt; `e` https://f.example');
  });

  it('fences text no backtick run can close, with control characters shown', () => {
    const block = fenced('```` \r\n```\u2028```` \u001b');
    expect(block).not.toMatch(CONTROL);
    expect(markdown.render(block).match(/<pre>/g)).toHaveLength(1);
  });
});

const dirs: string[] = [];
afterAll(async () => void (await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))));

describe('reports of a run against a Hive that sends markup', () => {
  it('summary.md and the Allure descriptions show it, inert', async () => {
    const hive = createHive({
      passwordCost: TEST_PASSWORD_COST,
      domain: TEST_DOMAIN,
      tamper: { reply: (reply) => (typeof reply.body === 'object' && reply.body !== null ? { ...reply, body: { ...reply.body, [INJECTION]: INJECTION, echo: INJECTION } } : reply) },
    });
    const { url } = await hive.listen(0, '127.0.0.1');
    const dir = await mkdtemp(join(tmpdir(), 'pame-markup-'));
    dirs.push(dir);
    try {
      const options = { ...DEFAULT_RUN_OPTIONS, hive: url, domain: TEST_DOMAIN, peerPort: 0, only: ['PAME-PING', 'PAME-REG-001'], reportDir: dir, reporters: ['summary', 'allure'], quiet: true };
      const outcome = await runConformance(options, CATALOG);
      await writeReports(outcome, options);
      expect(outcome.report.checks.filter((check) => check.status === 'failed').length).toBeGreaterThan(0);
      const summary = await readFile(join(dir, 'summary.md'), 'utf8');
      expect(summary, 'the Hive text reaches the summary').toContain('Forged heading');
      expectInert(summary, /^(✅|⚠️|❌|⛔) PAME|^Rule families$|^Failures$|^(✗|⚠️) PAME-[A-Z]+-\d+ \[(F|MUST|SHOULD)\] /);
      const results = await readdir(join(dir, 'allure-results'));
      for (const name of results.filter((file) => file.endsWith('-result.json'))) {
        const { description } = JSON.parse(await readFile(join(dir, 'allure-results', name), 'utf8')) as { description: string };
        expectInert(description, /^$/);
      }
    } finally {
      await hive.close();
    }
  }, 120_000);
});
