// Curl lines and redaction: a curl line run by a shell sends exactly the body
// recorded, whatever bytes it holds (never read as @file, never expanded), and
// every secret becomes a placeholder the reader sets.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { encodeQuery } from '../../src/client/client.js';
import { curlLine } from '../../src/client/curl.js';
import type { Exchange, SentRequest } from '../../src/client/exchange.js';
import { Secrets } from '../../src/client/secrets.js';
import { curlFor, toEvidence } from '../../src/validator/evidence.js';

/** Runs a curl line in sh with curl replaced by a function that prints its arguments, then what it read from stdin. */
function replay(line: string, env: Record<string, string> = {}): { args: string[]; body: string } {
  const out = execFileSync('sh', ['-c', `curl() { for a in "$@"; do printf '%s\\0' "$a"; done; printf '\\1'; cat; }\n${line}`], { env: { PATH: process.env.PATH ?? '', ...env } });
  const split = out.indexOf(1);
  return { args: out.subarray(0, split).toString('utf8').split('\0').slice(0, -1), body: out.subarray(split + 1).toString('utf8') };
}

const post = (body: string): SentRequest => ({ method: 'POST', url: 'http://127.0.0.1:1/', headers: { 'content-type': 'application/json' }, body });

describe('curl lines', () => {
  it.each([
    ['a body that names a file', '@/etc/passwd'],
    ['shell syntax', `{"iam":"$(touch /tmp/pwned)\`id\`$HOME'\\"; rm -rf ~"}`],
    ['newlines and tabs', '{"a":\n\t"b"}\n'],
    ['control characters, NUL and line separators', '{"a":"\u0000\u001b[31m\r\u2028\u2029"}'],
    ['an empty body', ''],
  ])('send %s byte for byte through stdin', (_, body) => {
    const line = curlLine(post(body));
    expect(line).toContain('--data-binary @-');
    expect(line).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u2028\u2029]/);
    const { args, body: sent } = replay(line);
    expect(sent).toBe(body);
    expect(args).toContain('@-');
  });

  it('asks for HEAD with -I, not -X HEAD (which waits for a body that never comes)', () => {
    const line = curlLine({ method: 'HEAD', url: 'http://127.0.0.1:1/', headers: {} });
    expect(replay(line).args).toEqual(['-sS', '--max-redirs', '0', '-I', 'http://127.0.0.1:1/']);
  });
});

function exchange(request: SentRequest, reply?: object): Exchange {
  const bytes = Buffer.from(reply ? JSON.stringify(reply) : '');
  return { request, ...(reply ? { reply: { status: 200, headers: { 'set-cookie': `k=${(reply as { session?: string }).session}` }, bytes, json: reply } } : {}), startedAt: '', durationMs: 1 };
}

describe('redaction', () => {
  const pass = 'Tr0ub4dor&3';
  const key = 'k3y-of-the-session-0123456789';
  const ticket = 'tick-et-0123456789abcdef';

  it('replaces pass, session and ticket parts of a POST body and of a GET query, and their values in the reply', () => {
    const secrets = new Secrets();
    const login = exchange(post(JSON.stringify({ w: 'Epost_session_open', iam: 'ana::h', pass })), { resp: 1, session: key });
    const fetch = exchange({ method: 'GET', url: `http://127.0.0.1:1/${encodeQuery({ w: 'Epost_msg_fetch', iam: 'x::h', ticket, session: key })}`, headers: {} }, { resp: 1, echo: `${ticket} ${key}` });
    secrets.learn(login);
    secrets.learn(fetch);
    const shown = JSON.stringify([toEvidence(login, secrets), toEvidence(fetch, secrets), curlFor(login, secrets), curlFor(fetch, secrets)]);
    for (const secret of [pass, key, ticket, encodeURIComponent(pass)]) expect(shown).not.toContain(secret);
    expect(toEvidence(login, secrets).request.body).toBe('{"w":"Epost_session_open","iam":"ana::h","pass":"$PAME_PASS"}');
    expect(toEvidence(fetch, secrets).request.url).toContain('ticket=%22$PAME_TICKET%22');
    expect(toEvidence(fetch, secrets).reply?.body).toBe('{"resp":1,"echo":"$PAME_TICKET $PAME_SESSION"}');
  });

  it('leaves the placeholders for the reader to set, and says so', () => {
    const secrets = new Secrets([pass]);
    const login = exchange(post(JSON.stringify({ w: 'Epost_session_open', iam: 'ana::h', pass })));
    const line = curlFor(login, secrets);
    expect(line).toMatch(/# redacted: set PAME_PASS first$/);
    expect(replay(line, { PAME_PASS: pass }).body).toBe(login.request.body);
  });

  it('redacts a short secret only where it stands as a JSON string, so a Hive cannot blank ordinary words', () => {
    const secrets = new Secrets();
    secrets.add('resp', 'session');
    expect(secrets.redactText('{"resp":1,"session":"resp"}')).toBe('{"resp":1,"session":"$PAME_SESSION"}');
  });
});
