// The privacy scanner on hand-made replies: what it must find (F1, F2, F3) and
// what it must leave alone, since it runs on every reply of every check.
import { describe, expect, it } from 'vitest';
import { holdsIp, scanForPrivacy, wordsOf } from '../../src/validator/privacy-scan.js';
import type { Exchange } from '../../src/client/exchange.js';

function exchange(code: string, json: unknown, headers: Record<string, string> = {}): Exchange {
  const bytes = Buffer.from(JSON.stringify(json));
  return {
    code,
    request: { method: 'POST', url: 'http://127.0.0.1:1/', headers: {} },
    reply: { status: 200, headers: { 'content-type': 'application/json', ...headers }, bytes, json },
    startedAt: '2026-11-25T08:30:00Z',
    durationMs: 1,
  };
}

const message = { msg: 'm1', conv: 'c1', from: 'ana::a.example', to: ['bob::b.example'], date: '2026-11-25T08:30:00Z', ip: '203.0.113.7', subject: 'hi', format: 'plain', body: 'meet at 40.4168,-3.7038 from 10.0.0.1' };
const rules = (findings: { rule: string }[]) => findings.map((f) => f.rule).sort();

describe('scanForPrivacy', () => {
  it('finds nothing in conformant replies, the message ip header and user text included', () => {
    expect(scanForPrivacy(exchange('Epost_conv_new', { resp: 1, msgs: [message] }, { 'cache-control': 'no-store', date: 'Tue, 25 Nov 2026 08:30:00 GMT', via: '1.1 10.1.2.3' }))).toEqual([]);
    expect(scanForPrivacy(exchange('Epost_contact_list', { resp: 1, contacts: [{ contact: 'bob::b.example', blocked: false }] }))).toEqual([]);
    expect(scanForPrivacy(exchange('Epost_session_open', { resp: 1, session: 'AbCdEfGhIjKlMnOpQrStUvWxYz012345' }))).toEqual([]);
    expect(scanForPrivacy(exchange('Epost_ping', { resp: 1, hive: 'hive.pame.test', version: '0.2.1' }))).toEqual([]);
  });

  it.each([
    ['Epost_conv_new', { resp: 1, msgs: [message], unread: 3 }, 'message numbers'],
    ['Epost_conv_new', { resp: 1, msgs: [message], pending: 3 }, 'message numbers'],
    ['Epost_session_open', { resp: 1, session: 'AbCdEfGhIjKlMnOpQrStUvWxYz', lastIp: '127.0.0.1' }, 'IP or location'],
    ['Epost_session_open', { resp: 1, session: 'AbCdEfGhIjKlMnOpQrStUvWxYz', seenFrom: '2001:db8::1' }, 'IP or location'],
    ['Epost_session_open', { resp: 1, session: 'AbCdEfGhIjKlMnOpQrStUvWxYz', where: { lat: 40.4, lng: -3.7 } }, 'IP or location'],
    ['Epost_ping', { resp: 1, hive: 'h.example', version: '0.2.1', peers: ['ana::a.example', 'bob::a.example'] }, 'contact list'],
    ['Epost_contact_list', { resp: 1, contacts: [], followers: [] }, 'contact list'],
    ['Epost_session_open', { resp: 1, session: 'AbCdEfGhIjKlMnOpQrStUvWxYz', chatRooms: [] }, 'chat subscriptions'],
    ['Epost_session_open', { resp: 1, session: 'AbCdEfGhIjKlMnOpQrStUvWxYz', profile: { email: 'a@b.c' } }, 'personal details'],
  ])('flags %s with %j as F3 and F1 (%s)', (code, json, what) => {
    const findings = scanForPrivacy(exchange(code, json));
    expect(rules(findings)).toEqual(['F1', 'F3']);
    expect(findings.find((f) => f.rule === 'F1')!.message).toContain(what);
  });

  it('flags an extra member that betrays nothing as F3 only', () => {
    expect(rules(scanForPrivacy(exchange('Epost_msg_send', { resp: 1, conv: 'c', msg: 'm', note: 'queued' })))).toEqual(['F3']);
    expect(rules(scanForPrivacy(exchange('Epost_contact_add', { resp: -1.1, error: 'bad contact' })))).toEqual(['F3']);
  });

  it('flags members inside messages and contact entries', () => {
    expect(rules(scanForPrivacy(exchange('Epost_conv_old', { resp: 1, msgs: [{ ...message, city: 'Madrid' }] })))).toEqual(['F1', 'F3']);
    expect(rules(scanForPrivacy(exchange('Epost_contact_list', { resp: 1, contacts: [{ contact: 'bob::b.example', blocked: false, lastIp: '10.0.0.2' }] })))).toEqual(['F1', 'F3']);
  });

  it('flags replies to unlisted codes as F2, and F1 for what they carry', () => {
    expect(rules(scanForPrivacy(exchange('Epost_user_exists', { resp: 1 })))).toEqual(['F2']);
    expect(rules(scanForPrivacy(exchange('Epost_msg_count', { resp: 1, count: 4 })))).toEqual(['F1', 'F2', 'F2']);
    expect(scanForPrivacy(exchange('Epost_user_exists', { resp: -1.1 }))).toEqual([]);
    // Another error code breaks E2 (the envelope checks say so) but answers nothing: not F2.
    expect(scanForPrivacy(exchange('Epost_user_exists', { resp: -1.303 }))).toEqual([]);
  });

  it('flags identifiers that embed an IP address or coordinates', () => {
    expect(scanForPrivacy(exchange('Epost_msg_send', { resp: 1, conv: 'conv-192.168.1.20-7', msg: 'm' }))).toEqual([{ rule: 'F1', message: expect.stringContaining('/conv embeds an IP address') }]);
    expect(scanForPrivacy(exchange('Epost_conv_new', { resp: 1, msgs: [{ ...message, msg: '40.41680,-3.70380#1' }] }))).toEqual([{ rule: 'F1', message: expect.stringContaining('/msgs/0/msg embeds coordinates') }]);
  });

  it('flags reply headers about the client, leaving HTTP and infrastructure headers alone', () => {
    expect(scanForPrivacy(exchange('Epost_ping', { resp: 1, hive: 'h.example', version: '0.2.1' }, { 'X-Client-IP': '127.0.0.1' }))).toEqual([{ rule: 'F1', message: 'reply header X-Client-IP looks like IP or location details' }]);
    expect(scanForPrivacy(exchange('Epost_ping', { resp: 1, hive: 'h.example', version: '0.2.1' }, { 'x-unread-count': '2' }))).toHaveLength(1);
    expect(scanForPrivacy(exchange('Epost_ping', { resp: 1, hive: 'h.example', version: '0.2.1' }, { 'x-forwarded-for': '198.51.100.4' }))).toEqual([{ rule: 'F1', message: "reply header x-forwarded-for carries a client's IP address" }]);
    expect(scanForPrivacy(exchange('Epost_ping', { resp: 1, hive: 'h.example', version: '0.2.1' }, { 'x-served-by': 'cache-fra-10.0.0.1', location: 'https://x/' }))).toEqual([]);
  });

  it('reads nothing without a code or a reply', () => {
    const { code: _, ...uncoded } = exchange('Epost_ping', { resp: 1, lastIp: '1.2.3.4' });
    expect(scanForPrivacy(uncoded)).toEqual([]);
  });
});

describe('wordsOf and holdsIp', () => {
  it('splits camelCase, snake_case, kebab-case and acronyms into whole words', () => {
    expect(wordsOf('lastIp')).toEqual(['last', 'ip']);
    expect(wordsOf('X-Client-IP')).toEqual(['x', 'client', 'ip']);
    expect(wordsOf('unread_count')).toEqual(['unread', 'count']);
    expect(wordsOf('geoIPCity')).toEqual(['geo', 'ip', 'city']);
    expect(wordsOf('recipient')).toEqual(['recipient']);
  });

  it('finds IPv4 and IPv6 addresses but not versions or dates', () => {
    expect(holdsIp('from 10.0.0.1 today')).toBe(true);
    expect(holdsIp('[2001:db8::7]')).toBe(true);
    expect(holdsIp('0.2.1')).toBe(false);
    expect(holdsIp('2026-11-25T08:30:00Z')).toBe(false);
    expect(holdsIp('1.2.3.4.5')).toBe(false);
  });
});
