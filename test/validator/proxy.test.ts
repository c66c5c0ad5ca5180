// `pame proxy` between a real client and the reference Hive: the client works
// unchanged, every exchange is logged, and the log validates with `pame validate`.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { privacyBadHives } from '../../fixtures/bad-hives/privacy.js';
import { validateFiles } from '../../src/cli/commands/validate.js';
import { HiveClient } from '../../src/client/client.js';
import { respOf, type Exchange } from '../../src/client/exchange.js';
import { createHive, type ReferenceHive, TEST_PASSWORD_COST } from '../../src/hive/index.js';
import { createValidatingProxy, type ValidatingProxy } from '../../src/proxy/index.js';
import type { ExchangeFinding } from '../../src/validator/exchange.js';
import { readExchangeLog } from '../../src/validator/jsonl.js';
import { validateRecorded } from '../../src/runner/traffic-report.js';

const DOMAIN = 'hive.pame.test';
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).reverse().map((thing) => thing.close()));
});

async function arrange(hive: ReferenceHive = createHive({ passwordCost: TEST_PASSWORD_COST, domain: DOMAIN })) {
  const { url: hiveUrl } = await hive.listen(0, '127.0.0.1');
  open.push(hive);
  const log = join(await mkdtemp(join(tmpdir(), 'pame-proxy-')), 'exchanges.jsonl');
  const seen: { exchange: Exchange; findings: readonly ExchangeFinding[] }[] = [];
  const proxy: ValidatingProxy = createValidatingProxy({ hive: hiveUrl, log, onExchange: (exchange, findings) => seen.push({ exchange, findings }) });
  const { url } = await proxy.listen(0, '127.0.0.1');
  open.push(proxy);
  const client = new HiveClient(url);
  const direct = new HiveClient(hiveUrl);
  open.push(client, direct);
  return { client, direct, proxy, log, seen };
}

/** A client's ordinary day: register, log in, contacts, a message each way, reading, logging out; by GET and by POST. */
async function ordinaryDay(client: HiveClient): Promise<Exchange[]> {
  const exchanges: Exchange[] = [];
  const call = async (...args: Parameters<HiveClient['call']>) => {
    const exchange = await client.call(...args);
    exchanges.push(exchange);
    return exchange.reply?.json as Record<string, unknown>;
  };
  const ana = `ana${Date.now().toString(36)}::${DOMAIN}`;
  const bob = `bob${Date.now().toString(36)}::${DOMAIN}`;
  await call('Epost_ping', { iam: ana }, { method: 'GET' });
  await call('Epost_user_register', { iam: ana, pass: 'correct horse battery' });
  await call('Epost_user_register', { iam: bob, pass: 'tr0ub4dor&3-long' }, { method: 'GET' });
  const anaKey = (await call('Epost_session_open', { iam: ana, pass: 'correct horse battery' })).session as string;
  const bobKey = (await call('Epost_session_open', { iam: bob, pass: 'tr0ub4dor&3-long' }, { method: 'GET' })).session as string;
  await call('Epost_contact_add', { iam: ana, contact: bob }, { session: anaKey });
  await call('Epost_contact_list', { iam: ana }, { session: anaKey, method: 'GET' });
  const { conv } = await call('Epost_msg_send', { iam: ana, to: [bob], subject: 'hi', body: 'lunch at noon? ✓ a < b' }, { session: anaKey });
  await call('Epost_msg_send', { iam: bob, to: [ana], body: '[b]yes[/b]', format: 'bbcode' }, { session: bobKey, method: 'GET' });
  await call('Epost_conv_new', { iam: bob }, { session: bobKey });
  await call('Epost_conv_old', { iam: ana, conv: conv as string, start: 0, limit: 10 }, { session: anaKey, method: 'GET' });
  await call('Epost_session_open', { iam: ana, pass: 'not the password' });
  await call('Epost_session_close', { iam: ana }, { session: anaKey });
  await call('Epost_contact_list', { iam: ana }, { session: anaKey });
  return exchanges;
}

describe('pame proxy', () => {
  it('forwards unchanged: a client gets through the proxy what it gets from the Hive directly', async () => {
    const { client, direct } = await arrange();
    for (const [code, parts, method] of [['Epost_ping', { iam: 'ana' }, 'GET'], ['Epost_ping', { iam: 'ana' }, 'POST'], ['Epost_user_info', { iam: 'ana' }, 'POST']] as const) {
      const [via, straight] = await Promise.all([client.call(code, parts, { method }), direct.call(code, parts, { method })]);
      expect(via.reply?.status).toBe(straight.reply?.status);
      expect(via.reply?.bytes.toString()).toBe(straight.reply?.bytes.toString());
      expect(via.reply?.headers['content-type']).toBe(straight.reply?.headers['content-type']);
    }
    const [via, straight] = await Promise.all([client.send({ method: 'PUT', body: '{"w":"Epost_ping","iam":"ana"}' }), direct.send({ method: 'PUT', body: '{"w":"Epost_ping","iam":"ana"}' })]);
    expect([via.reply?.status, via.reply?.bytes.toString()]).toEqual([straight.reply?.status, straight.reply?.bytes.toString()]);
  });

  it('serves a whole client session, logs every exchange, and the log validates with no finding', async () => {
    const { client, proxy, log, seen } = await arrange();
    const exchanges = await ordinaryDay(client);
    expect(exchanges.map(respOf)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1.301, 1, -1.303]);
    await proxy.close();

    expect(seen).toHaveLength(exchanges.length);
    expect(seen.flatMap((s) => s.findings)).toEqual([]);
    const recording = readExchangeLog(await readFile(log, 'utf8'), log);
    expect(recording.problems).toEqual([]);
    expect(recording.exchanges.map((e) => e.exchange.code)).toEqual(exchanges.map((e) => e.code));
    expect(validateRecorded(recording.exchanges).flatMap((v) => v.findings)).toEqual([]);
    const lines: string[] = [];
    expect(await validateFiles([log], { reportDir: 'reports', reporters: ['console'], all: false }, (line) => lines.push(line))).toBe(0);
  });

  it('names live the rules a Hive breaks, and what a client sends wrong, on the right side', async () => {
    const leaky = privacyBadHives.find((bad) => bad.name === 'privacy-session-open-last-ip')!;
    const { client, proxy, seen } = await arrange(leaky.create({ passwordCost: TEST_PASSWORD_COST, domain: DOMAIN }));
    const ana = `ana${Date.now().toString(36)}::${DOMAIN}`;
    await client.call('Epost_user_register', { iam: ana, pass: 'correct horse battery' });
    await client.call('Epost_session_open', { iam: ana, pass: 'correct horse battery' });
    await client.send({ method: 'GET', query: '?w=Epost_ping&iam=%22ana%22' });
    await proxy.close();
    const [register, login, unquoted] = seen;
    expect(register!.findings).toEqual([]);
    expect(login!.findings.map((f) => `${f.rule} ${f.party}`).sort()).toEqual(['F1 hive', 'F3 hive']);
    // The reference Hive refuses the unquoted part as it must: only the client is at fault.
    expect(unquoted!.findings.map((f) => `${f.rule} ${f.party}`)).toEqual(['T4 client']);
  });

  it('answers 502 and logs the failure when the Hive is gone', async () => {
    const hive = createHive({ passwordCost: TEST_PASSWORD_COST, domain: DOMAIN });
    const { client, proxy, seen } = await arrange(hive);
    await hive.close();
    const exchange = await client.call('Epost_ping', { iam: 'ana' });
    expect(exchange.reply?.status).toBe(502);
    await proxy.close();
    expect(seen[0]!.exchange.failure?.kind).toBe('network');
  });
});
