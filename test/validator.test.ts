import { describe, expect, it } from 'vitest';
import { validateMessage, validateReply, validateRequest } from '../src/validator/index.js';

// The examples the profile itself gives (§3, §5, §6) must validate.
const PROFILE_MESSAGE = {
  msg: 'id', from: 'mark::a.example', to: ['ana::b.example'],
  date: '2026-11-25T08:30:00Z', ip: '203.0.113.7', subject: 'hi', format: 'plain', body: 'text',
};

function rulesOf(result: { violations: readonly { rule: string }[] }): string[] {
  return [...new Set(result.violations.map((v) => v.rule))].sort();
}

describe('profile examples validate', () => {
  it('the §6 Message', () => expect(validateMessage(PROFILE_MESSAGE)).toEqual({ valid: true, violations: [] }));
  it('{"resp":1} for the codes that return nothing else', () => {
    for (const code of ['Epost_user_register', 'Epost_session_close', 'Epost_contact_add', 'Epost_msg_relay']) expect(validateReply(code, { resp: 1 }).valid, code).toBe(true);
  });
  it('ping, session_open, msg_send, conv_new, contact_list and fetch success replies', () => {
    expect(validateReply('Epost_ping', { resp: 1, hive: 'a.example', version: '0.2.1' }).valid).toBe(true);
    expect(validateReply('Epost_session_open', { resp: 1, session: 'k'.repeat(43) }).valid).toBe(true);
    expect(validateReply('Epost_msg_send', { resp: 1, conv: 'c1', msg: 'm1' }).valid).toBe(true);
    expect(validateReply('Epost_conv_new', { resp: 1, msgs: [{ ...PROFILE_MESSAGE, conv: 'c1' }] }).valid).toBe(true);
    expect(validateReply('Epost_contact_list', { resp: 1, contacts: [{ contact: 'ana::b.example', blocked: false }] }).valid).toBe(true);
    expect(validateReply('Epost_contact_list', { resp: 1, contacts: [] }).valid).toBe(true);
    expect(validateReply('Epost_msg_fetch', { resp: 1, msg: PROFILE_MESSAGE }).valid).toBe(true);
  });
  it('the §1 GET example parts and a POST send', () => {
    expect(validateRequest('Epost_ping', { w: 'Epost_ping', iam: 'ana' }).valid).toBe(true);
    expect(validateRequest('Epost_msg_send', { w: 'Epost_msg_send', iam: 'mark::a.example', session: 's', to: ['ana'], body: 'a < b' }).valid).toBe(true);
    expect(validateRequest('Epost_conv_old', { w: 'Epost_conv_old', iam: 'mark', session: 's', conv: 'c', start: 0, limit: 10 }).valid).toBe(true);
  });
});

describe('hand-made bad replies fail naming the right rule', () => {
  const cases: [string, string, unknown, string[]][] = [
    ['extra member on an error', 'Epost_ping', { resp: -1.1, error: 'nope' }, ['F3']],
    ['extra member on success', 'Epost_session_open', { resp: 1, session: 'k'.repeat(22), lastIp: '1.2.3.4' }, ['F3']],
    ['resp outside the table', 'Epost_ping', { resp: 2 }, ['R1']],
    ['resp as a string', 'Epost_ping', { resp: '1' }, ['T6']],
    ['not an object', 'Epost_ping', [1], ['T6']],
    ['resp the code never gives', 'Epost_ping', { resp: -3.4 }, ['Q1']],
    ['wrong version', 'Epost_ping', { resp: 1, hive: 'a.example', version: '0.2' }, ['Q1']],
    ['short session key', 'Epost_session_open', { resp: 1, session: 'abc' }, ['Q3']],
    ['date not in UTC Z form', 'Epost_msg_fetch', { resp: 1, msg: { ...PROFILE_MESSAGE, date: '2026-11-25T08:30:00+00:00' } }, ['T9']],
    ['upper-case address', 'Epost_msg_fetch', { resp: 1, msg: { ...PROFILE_MESSAGE, from: 'Mark::a.example' } }, ['A1']],
    ['bare address in a reply', 'Epost_msg_fetch', { resp: 1, msg: { ...PROFILE_MESSAGE, to: ['ana'] } }, ['A1']],
    ['HTML in a delivered body', 'Epost_msg_fetch', { resp: 1, msg: { ...PROFILE_MESSAGE, body: '<b>hi</b>' } }, ['M1']],
    ['script URL in a delivered body', 'Epost_msg_fetch', { resp: 1, msg: { ...PROFILE_MESSAGE, format: 'bbcode', body: '[url=JavaScript:alert(1)]x[/url]' } }, ['M2']],
    ['missing ip', 'Epost_msg_fetch', { resp: 1, msg: { ...PROFILE_MESSAGE, ip: undefined } }, ['G1']],
    ['ip that is not an address', 'Epost_msg_fetch', { resp: 1, msg: { ...PROFILE_MESSAGE, ip: 'localhost' } }, ['G1']],
    ['conv outside conv_* replies is allowed, an unknown member is not', 'Epost_msg_fetch', { resp: 1, msg: { ...PROFILE_MESSAGE, geo: '1,2' } }, ['F3']],
    ['unknown code answered with data', 'Epost_user_info', { resp: 1, user: 'ana' }, ['F2']],
    ['unknown code answered -1.1 plus a member', 'Epost_user_info', { resp: -1.1, hint: 'x' }, ['F2']],
    ['contact list entry with extra member', 'Epost_contact_list', { resp: 1, contacts: [{ contact: 'ana::b.example', blocked: false, lastSeen: 'x' }] }, ['F3']],
  ];
  it.each(cases)('%s', (_title, code, reply, rules) => {
    const result = validateReply(code, JSON.parse(JSON.stringify(reply)));
    expect(result.valid).toBe(false);
    expect(rulesOf(result)).toEqual(rules);
  });
  it('an unknown code answered exactly {"resp":-1.1} is fine (E2)', () => {
    expect(validateReply('Epost_user_info', { resp: -1.1 }).valid).toBe(true);
  });
});

describe('bad requests name the rule', () => {
  const cases: [string, string, unknown, string[]][] = [
    ['missing iam', 'Epost_ping', { w: 'Epost_ping' }, ['E1']],
    ['malformed iam', 'Epost_ping', { w: 'Epost_ping', iam: 'a b' }, ['E1']],
    ['unknown code', 'Epost_whois', { w: 'Epost_whois', iam: 'ana' }, ['E2']],
    ['session request without session', 'Epost_contact_list', { w: 'Epost_contact_list', iam: 'ana' }, ['U1']],
    ['negative start', 'Epost_conv_old', { w: 'Epost_conv_old', iam: 'ana', session: 's', conv: 'c', start: -1 }, ['E4']],
    ['fractional limit', 'Epost_conv_old', { w: 'Epost_conv_old', iam: 'ana', session: 's', conv: 'c', limit: 1.5 }, ['E4']],
    ['HTML subject', 'Epost_msg_send', { w: 'Epost_msg_send', iam: 'ana', session: 's', to: ['bo'], subject: '<i>x', body: 'b' }, ['M1']],
    ['script URL body', 'Epost_msg_send', { w: 'Epost_msg_send', iam: 'ana', session: 's', to: ['bo'], body: '[img]data:image/png;base64,AA[/img]' }, ['M2']],
    ['subject over 200 characters', 'Epost_msg_send', { w: 'Epost_msg_send', iam: 'ana', session: 's', to: ['bo'], subject: '😀'.repeat(201), body: 'b' }, ['T11']],
    ['lone surrogate', 'Epost_msg_send', { w: 'Epost_msg_send', iam: 'ana', session: 's', to: ['bo'], body: '\ud800' }, ['T5']],
    ['relay from a user, not psychocat', 'Epost_msg_relay', { w: 'Epost_msg_relay', iam: 'ana::b.example', ticket: 't' }, ['Q10']],
    ['short password', 'Epost_user_register', { w: 'Epost_user_register', iam: 'ana', pass: 'short' }, ['Q2']],
  ];
  it.each(cases)('%s', (_title, code, parts, rules) => {
    expect(rulesOf(validateRequest(code, parts))).toEqual(rules);
  });
  it('a 200-character astral subject is within T11 (characters are code points)', () => {
    expect(validateRequest('Epost_msg_send', { w: 'Epost_msg_send', iam: 'ana', session: 's', to: ['bo'], subject: '😀'.repeat(200), body: 'b' }).valid).toBe(true);
  });
  it('a < b is plain text, not HTML (M1)', () => {
    expect(validateRequest('Epost_msg_send', { w: 'Epost_msg_send', iam: 'ana', session: 's', to: ['bo'], subject: 'a < b', body: '1 <2' }).valid).toBe(true);
  });
});
