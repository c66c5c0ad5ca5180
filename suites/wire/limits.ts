// T11 (profile §1): the sizes every Hive takes (a 256 KiB body, 200-character
// subjects, an 8 KiB URL), and a refusal without a 5xx beyond its own limits.
import { defineChecks } from '../../src/checks/check.js';
import type { CheckContext, SessionUser } from '../../src/checks/context.js';
import { encodeQuery } from '../../src/client/client.js';
import { respOf } from '../../src/client/exchange.js';
import { charCount } from '../../src/protocol/content.js';
import { readMessage, sendMessage } from '../../src/checks/conversation-steps.js';
import { get, post } from './requests.js';

const MIN_BODY_BYTES = 256 * 1024;
const MIN_SUBJECT_CHARS = 200;
const MIN_URL_BYTES = 8 * 1024;
/** Past the 1 MiB most Hives (the reference among them) take, yet cheap to send. */
const OVER_LIMIT_BODY_BYTES = 2 * 1024 * 1024;

/** A request of `code` whose JSON body is exactly `bytes` long, the padding in the part `pad` names. */
function bodyOfSize(parts: Record<string, unknown>, pad: string, bytes: number): string {
  const empty = JSON.stringify({ ...parts, [pad]: '' });
  return JSON.stringify({ ...parts, [pad]: 'x'.repeat(bytes - Buffer.byteLength(empty)) });
}

/** A GET query whose full URL (the base URL included) is exactly `bytes` long, the padding in the part `pad` names. */
function queryOfSize(t: CheckContext, parts: Record<string, unknown>, pad: string, bytes: number): string {
  const url = new URL(t.env.client.baseUrl);
  url.search = encodeQuery({ ...parts, [pad]: '' });
  return encodeQuery({ ...parts, [pad]: 'x'.repeat(bytes - url.href.length) });
}

/** The parts of an Epost_msg_send, as the client would send them, for requests built by hand. */
function sendParts(sender: SessionUser, to: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { w: 'Epost_msg_send', iam: sender.address, session: sender.session, to: [to], ...extra };
}

export const limitChecks = defineChecks([
  {
    id: 'PAME-WIRE-029',
    title: 'a 256 KiB request body and 200-character subjects (astral ones too) are accepted and kept whole',
    rules: ['T11'],
    level: 'MUST',
    code: 'Epost_msg_send',
    async run(t) {
      const [sender, recipient] = await t.loggedIn(2);
      const large = bodyOfSize(sendParts(sender, recipient.address), 'body', MIN_BODY_BYTES);
      const taken = t.expectResp(await post(t, large, { code: 'Epost_msg_send' }), 1, 'T11', `an Epost_msg_send body of exactly ${MIN_BODY_BYTES} bytes`);
      const kept = await readMessage(t, recipient, { resp: 1, conv: String(taken.conv), msg: String(taken.msg) }, 'T11');
      const sentBody = (JSON.parse(large) as { body: string }).body;
      // Lengths only: whether each character survives is T5's business (PAME-WIRE-021).
      t.check(kept.body.length === sentBody.length, 'T11', `the ${sentBody.length}-character body came back as ${kept.body.length} characters`, kept.exchange);
      for (const subject of ['s'.repeat(MIN_SUBJECT_CHARS), '𝄞'.repeat(MIN_SUBJECT_CHARS)]) {
        const what = `a subject of ${MIN_SUBJECT_CHARS} characters (${subject.length} UTF-16 units)`;
        const sent = await sendMessage(t, sender, { to: [recipient.address], subject, body: 'long subject' }, { rule: 'T11', doing: what });
        const got = await readMessage(t, recipient, sent, 'T11');
        t.check(charCount(got.subject) === MIN_SUBJECT_CHARS, 'T11', `${what} came back as ${charCount(got.subject)} characters`, got.exchange);
      }
    },
  },
  {
    id: 'PAME-WIRE-030',
    title: "requests beyond the Hive's limits get -1.1, never a 5xx",
    rules: ['T11', 'T7'],
    level: 'MUST',
    code: 'Epost_msg_send',
    async run(t) {
      const [sender, recipient] = await t.loggedIn(2);
      const huge = bodyOfSize(sendParts(sender, recipient.address), 'body', OVER_LIMIT_BODY_BYTES);
      t.expectResp(await post(t, huge, { code: 'Epost_msg_send' }), [-1.1, 1], 'T11', `an Epost_msg_send body of ${OVER_LIMIT_BODY_BYTES} bytes`);
      const long = await t.call('Epost_msg_send', { iam: sender.address, to: [recipient.address], subject: 's'.repeat(20 * MIN_SUBJECT_CHARS), body: 'x' }, { session: sender.session });
      t.expectResp(long, [-1.1, 1], 'T11', `a subject of ${20 * MIN_SUBJECT_CHARS} characters`);
    },
  },
  {
    id: 'PAME-WIRE-031',
    title: 'a GET URL of 8 KiB is accepted; a longer one is refused without a 5xx',
    rules: ['T11', 'T7'],
    level: 'MUST',
    code: 'Epost_msg_send',
    async run(t) {
      const [sender, recipient] = await t.loggedIn(2);
      const short = await get(t, encodeQuery(sendParts(sender, recipient.address, { body: 'short' })), 'Epost_msg_send');
      t.expectResp(short, 1, 'T3', 'a short Epost_msg_send by GET');
      const accepted = await get(t, queryOfSize(t, sendParts(sender, recipient.address), 'body', MIN_URL_BYTES), 'Epost_msg_send');
      t.expectResp(accepted, 1, 'T11', `an Epost_msg_send by GET with a URL of exactly ${MIN_URL_BYTES} bytes`);
      const beyond = await get(t, queryOfSize(t, sendParts(sender, recipient.address), 'body', 1.5 * MIN_URL_BYTES), 'Epost_msg_send');
      const what = `an Epost_msg_send by GET with a URL of ${1.5 * MIN_URL_BYTES} bytes`;
      if (beyond.failure) t.check(beyond.failure.kind === 'network', 'T11', `${what}: ${beyond.failure.message}; the Hive may refuse it or close the connection, not leave it hanging`, beyond);
      else if (beyond.reply?.status !== 414 && beyond.reply?.status !== 431) t.expectResp(beyond, [1, -1.1], 'T11', what);
      t.note(`a ${1.5 * MIN_URL_BYTES}-byte URL got ${beyond.failure ? beyond.failure.message : `HTTP ${beyond.reply?.status} resp ${String(respOf(beyond))}`}`);
    },
  },
]);
