// The seams known-bad fixtures are built with: each test makes "the reference
// Hive with one rule broken" the way a fixture would, without touching
// src/hive, and shows the rule broken while the rest still works.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bare,
  deliver,
  issuedMessage,
  receiveRelay,
  type HandlerContext,
  type HandlerTamper,
  type OutgoingReply,
  type SessionCheck,
  type SessionChecker,
} from '../../src/hive/index.js';
import type { Message } from '../../src/generated/schemas.js';
import { RESP } from '../../src/protocol/reply-codes.js';
import { eventually, ScriptedPeer, TestHive } from './helpers.js';

let peer: ScriptedPeer;
beforeAll(async () => {
  peer = await ScriptedPeer.start();
});
afterAll(() => peer.close());

async function withHive(options: Parameters<typeof TestHive.start>[0], run: (t: TestHive) => Promise<void>): Promise<void> {
  const t = await TestHive.start({ resolve: { 'gamma.pame.test': peer.baseUrl('gamma') }, ...options });
  try {
    await run(t);
  } finally {
    await t.close();
  }
}

describe('tamper.handlers', () => {
  it('replaces one code\'s handler, which may call the original', async () => {
    await withHive({ tamper: { handlers: { Epost_ping: async (ctx, original) => ({ ...(await original(ctx)), load: 0.5 }) } } }, async (t) => {
      expect(await t.client.call('Epost_ping', { iam: 'ana' }).then((e) => e.reply?.json)).toEqual({ resp: 1, hive: t.domain, version: '0.2.1', load: 0.5 });
      // Every other code is untouched, envelope checks included.
      expect(await t.call('Epost_ping', {})).toEqual({ resp: -1.1 });
      await t.register('ana');
    });
  });

  it('builds "trusts step-1 data" (breaks C1) from deliver', async () => {
    const trusting = async ({ hive, parts }: HandlerContext) => {
      const step1 = { msg: 'step1', from: parts.from, to: parts.to, date: new Date(hive.now()).toISOString(), ip: '192.0.2.1', subject: '', format: 'plain', body: parts.body } as Message;
      deliver(hive, step1, step1.to);
      return bare(RESP.OK);
    };
    await withHive({ tamper: { handlers: { Epost_msg_relay: trusting } } }, async (t) => {
      const ana = await t.user('ana');
      const relay = { iam: 'psychocat::gamma.pame.test', ticket: 'x', from: 'boss::gamma.pame.test', to: [ana.address], body: 'forged' };
      expect(await t.call('Epost_msg_relay', relay)).toEqual({ resp: 1 });
      expect(await ana.takeNew()).toMatchObject([{ from: 'boss::gamma.pame.test', body: 'forged' }]);
    });
  });

  it('builds "calls back a URL named in the relay request" (breaks C2) from receiveRelay', async () => {
    const gullible: HandlerTamper<'Epost_msg_relay'> = async (ctx, original) => {
      const { hive, parts, iam } = ctx;
      return typeof parts.url === 'string' && typeof parts.ticket === 'string' ? receiveRelay(hive, iam.domain, parts.ticket, parts.url) : original(ctx);
    };
    await withHive({ tamper: { handlers: { Epost_msg_relay: gullible } } }, async (t) => {
      const before = peer.requestsTo('delta').length;
      await t.call('Epost_msg_relay', { iam: 'psychocat::gamma.pame.test', ticket: 'x', url: peer.baseUrl('delta') });
      expect(peer.requestsTo('delta').length).toBe(before + 1);
    });
  });

  it('builds "answers fetch to any Hive" (breaks C5) from issuedMessage', async () => {
    const careless = async ({ hive, parts }: HandlerContext) => {
      const msg = typeof parts.ticket === 'string' ? issuedMessage(hive, parts.ticket) : undefined;
      return msg ? { resp: RESP.OK, msg } : bare(RESP.NO);
    };
    await withHive({ tamper: { handlers: { Epost_msg_fetch: careless } } }, async (t) => {
      const ana = await t.user('ana');
      const since = peer.requestsTo('gamma', 'Epost_msg_relay').length;
      await ana.send(['zoe::gamma.pame.test']);
      const ticket = await eventually(async () => peer.requestsTo('gamma', 'Epost_msg_relay')[since]?.parts.ticket as string | undefined);
      expect((await t.call('Epost_msg_fetch', { iam: 'psychocat::nosy.example', ticket })).resp).toBe(1);
    });
  });
});

describe('tamper.session', () => {
  it('builds "does not bind sessions to IP" (breaks U2) by checking with the session\'s own IP', async () => {
    const session = (check: SessionCheck, original: SessionChecker) => {
      const stored = typeof check.key === 'string' ? check.hive.store.session(check.key) : undefined;
      return original({ ...check, clientIp: stored?.ip ?? check.clientIp });
    };
    await withHive({ tamper: { session } }, async (t) => {
      const ana = await t.user('ana');
      expect((await ana.call('Epost_contact_list', {}, { localAddress: '127.0.0.2' })).resp).toBe(1);
      expect((await t.call('Epost_contact_list', { iam: 'bob' }, { session: ana.session })).resp).toBe(-1.303);
    });
  });
});

describe('tamper.reply and tamper.http', () => {
  it('reply rewrites status, headers and body just before writing', async () => {
    const reply = (r: OutgoingReply) => ({ ...r, status: 500, headers: { ...r.headers, 'set-cookie': 'sid=1' } });
    await withHive({ tamper: { reply } }, async (t) => {
      const exchange = await t.client.call('Epost_ping', { iam: 'ana' });
      expect(exchange.reply?.status).toBe(500);
      expect(exchange.reply?.headers['set-cookie']).toBe('sid=1');
    });
  });

  it('http sees the raw request first and may answer it', async () => {
    const http = (req: IncomingMessage, res: ServerResponse) => {
      if (req.method !== 'GET') return false;
      res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>hi</h1>');
      return true;
    };
    await withHive({ tamper: { http } }, async (t) => {
      expect((await t.client.call('Epost_ping', { iam: 'ana' }, { method: 'GET' })).reply?.bytes.toString()).toBe('<h1>hi</h1>');
      expect((await t.call('Epost_ping', { iam: 'ana' })).resp).toBe(1);
    });
  });
});

describe('injected factories and clock', () => {
  it('uses ticketFactory, sessionKeyFactory and clock', async () => {
    let keys = 0;
    const tamper = { ticketFactory: () => 'ticket-1', sessionKeyFactory: () => `predictable-session-key-${++keys}`, clock: () => Date.parse('2030-01-01T00:00:00Z') };
    await withHive({ tamper }, async (t) => {
      const ana = await t.user('ana');
      expect(ana.session).toBe('predictable-session-key-1');
      const since = peer.requestsTo('gamma', 'Epost_msg_relay').length;
      await ana.send(['zoe::gamma.pame.test', ana.name]);
      expect(await eventually(async () => peer.requestsTo('gamma', 'Epost_msg_relay')[since]?.parts.ticket)).toBe('ticket-1');
      expect(await ana.takeNew()).toMatchObject([{ date: '2030-01-01T00:00:00.000Z' }]);
    });
  });
});
