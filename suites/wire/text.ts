// T5 (profile §1): text is Unicode, kept exactly as sent, by GET and by POST;
// what is not Unicode scalar values is refused.
import { defineChecks } from '../../src/checks/check.js';
import { charCount } from '../../src/protocol/content.js';
import { METHODS, readMessage, sendMessage } from '../../src/checks/conversation-steps.js';

/**
 * Scalar values a Hive might mangle: controls, decomposed and compatibility
 * forms NFC or NFKC would change (e + U+0301, U+212B, U+FB01), invisible and
 * bidirectional marks, a byte order mark, noncharacters, astral characters,
 * emoji sequences, CR LF and a lone CR.
 */
const UNICODE_SUBJECT = 'Grüße e\u0301 \u212b \ufb01 中文 العربية 🎉 𝄞 👩‍👩‍👧 \u{10ffff}';
const UNICODE_BODY = [
  '\u0000\u0001\u0007\t\u000b\u000c\u001f\u007f\u0080\u009f\u00a0\u00ad',
  'e\u0301 \u212b \ufb01 \u1100\u1161 \u0958',
  '\u200b\u200c\u200d\u200e\u200f\u202e\u2028\u2029\u2060\ufeff',
  '\ufdd0\ufffd\ufffe\uffff \u{1fffe} \u{10ffff}',
  '😀 🏳️‍🌈 👩🏽‍💻 \u{1f1fa}\u{1f1f3} 𝄞 𐍈 \u{20000} \u{e0001}',
  'line\r\nbreaks\rand\nmore',
].join(' | ');

/** The first place two texts differ, by code point, for a failure message. */
function firstDifference(sent: string, got: string): string {
  const a = [...sent];
  const b = [...got];
  const i = a.findIndex((char, index) => char !== b[index]);
  const at = i < 0 ? a.length : i;
  const show = (char: string | undefined) => (char === undefined ? 'the end' : `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
  return `${charCount(sent)} characters sent, ${charCount(got)} received; first difference at character ${at}: sent ${show(a[at])}, got ${show(b[at])}`;
}

export const textChecks = defineChecks([
  {
    id: 'PAME-WIRE-021',
    title: 'subject and body come back unchanged, astral characters and all, by GET and by POST',
    rules: ['T5'],
    level: 'MUST',
    code: 'Epost_msg_send',
    async run(t) {
      const [sender, recipient] = await t.loggedIn(2);
      for (const method of METHODS) {
        // A plain message first, so a Hive that does not serve this method at all is told so (T3), not blamed for the text.
        await sendMessage(t, sender, { to: [recipient.address], body: 'plain' }, { method, rule: 'T3', doing: `sending plain text by ${method}` });
        const sent = await sendMessage(t, sender, { to: [recipient.address], subject: UNICODE_SUBJECT, body: UNICODE_BODY }, { method, rule: 'T5', doing: `sending Unicode text by ${method}` });
        const got = await readMessage(t, recipient, sent, 'T5');
        const exchange = got.exchange;
        t.check(got.subject === UNICODE_SUBJECT, 'T5', `the subject sent by ${method} came back changed: ${firstDifference(UNICODE_SUBJECT, got.subject)}`, exchange);
        t.check(got.body === UNICODE_BODY, 'T5', `the body sent by ${method} came back changed: ${firstDifference(UNICODE_BODY, got.body)}`, exchange);
      }
    },
  },
  {
    id: 'PAME-WIRE-022',
    title: 'a lone surrogate in a subject or body gets -1.1 and nothing is delivered',
    rules: ['T5'],
    level: 'MUST',
    code: 'Epost_msg_send',
    async run(t) {
      const [sender, recipient] = await t.loggedIn(2);
      const cases = [
        { method: 'POST', what: 'a subject of a lone high surrogate', text: { subject: '\ud800', body: 'hi' } },
        { method: 'POST', what: 'a body holding a lone low surrogate', text: { body: 'a\udfffb' } },
        { method: 'GET', what: 'a subject of a lone high surrogate, by GET', text: { subject: 'x\udbff', body: 'hi' } },
      ] as const;
      for (const { method, what, text } of cases) {
        const exchange = await t.call('Epost_msg_send', { iam: sender.address, to: [recipient.address], ...text }, { method, session: sender.session });
        t.expectResp(exchange, -1.1, 'T5', what);
      }
      const inbox = await t.call('Epost_conv_new', { iam: recipient.address }, { session: recipient.session });
      t.expectResp(inbox, 0, 'T5', 'the recipient looking for messages that should not have been delivered');
    },
  },
]);
