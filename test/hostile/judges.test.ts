// Every judge against 1 MiB adversarial text: the privacy scanner, the
// validator (which `pame validate` and `pame proxy` run on their main thread),
// the M1/M2 content rules, the fuzz oracle, the recording readers and the
// escaping of console, summary and JUnit. A judge whose cost grows with the
// square of its input spends minutes on one of these; a linear one, milliseconds.
import { describe, expect, it } from 'vitest';
import { scanForPrivacy } from '../../src/validator/privacy-scan.js';
import type { Exchange } from '../../src/client/exchange.js';
import { parseReplyBytes } from '../../src/client/client.js';
import { demandOf } from '../../src/fuzz/oracle.js';
import { containsHtml, containsScriptUrl, textDemand } from '../../src/protocol/content.js';
import { printable } from '../../src/reports/console.js';
import { xmlText } from '../../src/reports/junit.js';
import { markdownText } from '../../src/reports/markdown.js';
import { validateExchange } from '../../src/validator/exchange.js';
import { readExchangeLog } from '../../src/validator/jsonl.js';

const MIB = 1024 * 1024;
/**
 * Well under a second of CPU: a quadratic judge takes minutes on these, a
 * linear one milliseconds. CPU time, not wall time, so a busy machine does not
 * fail a linear judge (garbage collection threads count, which only adds).
 */
const BUDGET_MS = 1_000;

const fill = (unit: string, prefix = '', suffix = ''): string => prefix + unit.repeat(Math.floor((MIB - prefix.length - suffix.length) / unit.length)) + suffix;

/** Texts that make a backtracking pattern or a naive scan revisit its input once per character. */
const BAIT: Readonly<Record<string, string>> = {
  'capitals': fill('A'),
  'capitals then a word': fill('A', '', 'Ab'),
  'digits': fill('1'),
  'dots': fill('.'),
  'digits and dots': fill('1.'),
  'a coordinate then spaces': fill(' ', '1.000'),
  'a coordinate then tabs and a newline': fill('\t', '1.000', '\u0000\n'),
  'coordinates without a separator': fill('1.0001'),
  'spaces then a newline': fill(' ', '', 'x\n'),
  'newlines and spaces': fill(' \n'),
  'open [url': fill('[url'),
  'open [url=': fill('[url='),
  '[url] then spaces': fill(' ', '[url]', 'javascrip'),
  'nested [img][url]': fill('[img][url]'),
  '[url] and quotes': fill('[url]"\' '),
  'open tags': fill('<'),
  'html fragments': fill('<a<b</<!<?'),
  'comments': fill('<!--'),
  'ip-looking': fill('1.1.1.'),
  'colons': fill(':'),
  'hex and colons': fill('a:'),
  'backslashes and quotes': fill('\\"'),
  'control characters': fill('\u001b[2J\r'),
  'lone surrogates': fill('\ud800'),
};

/** The CPU milliseconds `run` takes. */
function timed(run: () => unknown): number {
  const started = process.cpuUsage();
  run();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

const json = (value: unknown): string => JSON.stringify(value);

/** A reply as the client keeps it, parsed from its bytes as the client parses them. */
function exchangeOf(code: string, body: string, headers: Record<string, string> = {}): Exchange {
  const bytes = Buffer.from(body);
  return {
    code,
    request: { method: 'POST', url: 'http://127.0.0.1:1/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `w=${code}&iam=pamet` },
    reply: { status: 200, headers: { 'content-type': 'application/json', ...headers }, bytes, ...parseReplyBytes(bytes) },
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1,
  };
}

/** The replies a hostile Hive builds around one bait text: as a member name, a member value, an identifier, a header, a message body and subject. */
function hostileReplies(bait: string): Exchange[] {
  const ping = { resp: 1, hive: 'hostile.pame.test', version: '0.2.1' };
  const message = { msg: 'm1', from: 'mark::hostile.pame.test', to: ['ana::alpha.pame.test'], date: '2026-01-01T00:00:00Z', ip: '127.0.0.1', subject: bait.slice(0, 200), format: 'bbcode', body: bait };
  return [
    exchangeOf('Epost_ping', json({ ...ping, [bait]: 1 })),
    exchangeOf('Epost_ping', json({ ...ping, extra: bait })),
    exchangeOf('Epost_ping', json({ ...ping, extra: [bait, bait.slice(1)] })),
    exchangeOf('Epost_ping', json({ ...ping, hive: bait })),
    exchangeOf('Epost_ping', json({ ...ping, version: bait })),
    exchangeOf('Epost_ping', json(ping), { [`x-${bait.replace(/[^A-Za-z0-9]/g, 'X').slice(0, 64 * 1024)}`]: bait.replace(/[^\x20-\x7e]/g, 'x') }),
    exchangeOf('Epost_msg_fetch', json({ resp: 1, msg: message })),
    exchangeOf('Epost_msg_fetch', json({ resp: 1, msg: { ...message, [bait]: bait } })),
  ];
}

describe.each(Object.entries(BAIT))('1 MiB of %s', (_name, bait) => {
  it('the privacy scanner and the validator each finish well under a second on every reply built around it', () => {
    const replies = hostileReplies(bait);
    // The judges still judge: the bait as a member name is a member outside the ping schema.
    expect(scanForPrivacy(replies[0]!).map((finding) => finding.rule)).toContain('F3');
    for (const exchange of replies) {
      expect(timed(() => scanForPrivacy(exchange)), `privacy scanner on ${exchange.code}`).toBeLessThan(BUDGET_MS);
      expect(timed(() => validateExchange(exchange)), `validator on ${exchange.code}`).toBeLessThan(BUDGET_MS);
    }
  });

  it('the M1/M2 content rules, the fuzz oracle and the request validator finish well under a second', () => {
    expect(timed(() => containsHtml(bait))).toBeLessThan(BUDGET_MS);
    expect(timed(() => containsScriptUrl(bait))).toBeLessThan(BUDGET_MS);
    expect(timed(() => textDemand(bait))).toBeLessThan(BUDGET_MS);
    const parts = { iam: 'pamet', w: 'Epost_msg_send', session: 's1', to: ['ana::alpha.pame.test'], subject: bait.slice(0, 200), body: bait, format: 'bbcode' };
    expect(timed(() => demandOf({ kind: 'parts', code: 'Epost_msg_send', method: 'POST', parts }, parts))).toBeLessThan(BUDGET_MS);
    const request: Exchange = {
      request: { method: 'POST', url: 'http://127.0.0.1:1/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Object.entries(parts).map(([name, value]) => `${name}=${encodeURIComponent(json(value))}`).join('&') },
      startedAt: '2026-01-01T00:00:00.000Z',
      durationMs: 1,
    };
    expect(timed(() => validateExchange(request))).toBeLessThan(BUDGET_MS);
  });

  it('console, summary and JUnit escaping and the exchange-log reader finish well under a second', () => {
    expect(timed(() => printable(bait))).toBeLessThan(BUDGET_MS);
    expect(timed(() => markdownText(bait))).toBeLessThan(BUDGET_MS);
    expect(timed(() => xmlText(bait))).toBeLessThan(BUDGET_MS);
    expect(timed(() => readExchangeLog(`${bait}\n${json({ bait })}\n`, 'bait.jsonl'))).toBeLessThan(BUDGET_MS);
  });
});

describe('a long member name over a long array (the scanner once split the name again for every item)', () => {
  it('the privacy scanner judges the items under the name split once, well under a second', () => {
    // Half a MiB of name over a quarter of a million items: about 1 MiB of reply, and 10^11 steps for a scanner that splits the name per item.
    const name = fill('ab').slice(0, MIB / 2);
    const reply = exchangeOf('Epost_ping', json({ resp: 1, hive: 'hostile.pame.test', version: '0.2.1', [name]: new Array<number>(MIB / 4).fill(1) }));
    expect(scanForPrivacy(reply).map((finding) => finding.rule)).toContain('F3');
    expect(timed(() => scanForPrivacy(reply))).toBeLessThan(BUDGET_MS);
  });
});
