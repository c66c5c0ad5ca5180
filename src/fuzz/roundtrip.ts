// T5: any Unicode subject and body is read back exactly as it was sent; with
// M1/M2 content set in, the Hive takes, refuses or chooses as the oracle says.
import fc from 'fast-check';
import type { CheckContext, SessionUser, TestUser } from '../checks/context.js';
import { respOf, type Exchange } from '../client/exchange.js';
import { describeReplyCode } from '../protocol/reply-codes.js';
import { judgeRefused, judgeReply } from './judges.js';
import { demandOf } from './oracle.js';
import type { Trail } from './runner.js';
import { showValue } from './send.js';
import { HTML_FRAGMENTS, LOOKALIKES, SCRIPT_URLS, scriptUrl, scriptUrlFragment } from './text.js';
import { partsOf } from './valid.js';
import { encodeParts, type Method } from './wire.js';

/**
 * A subject, body and format, and how they travel: valid by the schema, or
 * with a piece of M1/M2 content set in, which the oracle judges (refused,
 * taken, or the Hive's choice).
 */
export interface Letter {
  readonly parts: Readonly<Record<string, unknown>>;
  readonly method: Method;
}

/** Text M1 and M2 judge: forms every Hive refuses, fragments left to the Hive, lookalikes every Hive takes. */
const content: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...HTML_FRAGMENTS, ...SCRIPT_URLS),
  scriptUrl,
  { weight: 3, arbitrary: scriptUrlFragment },
  { weight: 2, arbitrary: fc.constantFrom(...LOOKALIKES) },
);

/** The subject or body with a piece of M1/M2 content set into it. */
const withContent = (parts: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> =>
  fc.record({ part: fc.constantFrom('subject', 'body'), piece: content, at: fc.nat() }).map(({ part, piece, at }) => {
    const chars = [...String(parts[part])];
    const i = at % (chars.length + 1);
    return { ...parts, [part]: [...chars.slice(0, i), piece, ...chars.slice(i)].join('') };
  });

/** A subject, body and format as the schema makes them: the one letter every fuzz send starts from. */
export const letterParts = partsOf('Epost_msg_send', ['subject', 'body', 'format']);

export const letters: fc.Arbitrary<Letter> = fc.record({
  parts: letterParts.chain((parts) => fc.oneof({ weight: 3, arbitrary: fc.constant(parts) }, { weight: 2, arbitrary: withContent(parts) })),
  method: fc.constantFrom<Method>('GET', 'POST'),
});

/**
 * The page a reader asks for. Every letter goes to the same conversation, newest
 * first, so a letter is among the first few messages unless many were sent
 * after it; a page of 100 made the runner validate and scan 100 messages of
 * long Unicode text per letter (most of this check's CPU). A letter further down
 * is found on a later page.
 */
const PAGE = 20;

/** Reads a conversation page by page, newest first, until the message turns up; pages only shift later as messages arrive. */
async function findMessage(t: CheckContext, trail: Trail, reader: SessionUser, conv: string, msg: string): Promise<{ found?: Record<string, unknown>; exchange: Exchange }> {
  for (let start = 0; ; ) {
    const exchange = await trail.call('Epost_conv_old', { iam: reader.address, conv, start, limit: PAGE }, { session: reader.session });
    judgeReply(t, exchange);
    const reply = t.expectResp(exchange, [1, 0], 'Q7', `reading conversation ${conv} from ${start}`);
    if (reply.resp === 0) return { exchange };
    const msgs = reply.msgs as Record<string, unknown>[];
    const found = msgs.find((m) => m.msg === msg);
    if (found) return { found, exchange };
    start += msgs.length;
  }
}

/** Where two texts part: the first differing character and what stands there in each. */
function difference(sent: string, read: string): string {
  const a = [...sent];
  const b = [...read];
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `from character ${i}: sent ${showValue(a.slice(i, i + 8).join(''))}, read ${showValue(b.slice(i, i + 8).join(''))}`;
}

/** Sends a letter from `sender` to `recipient` and reads it back from the conversation (conv_old retrieves nothing). */
export async function roundTrip(t: CheckContext, trail: Trail, sender: SessionUser, recipient: TestUser, letter: Letter): Promise<void> {
  const parts = { w: 'Epost_msg_send', iam: sender.address, session: sender.session, to: [recipient.address], ...letter.parts };
  const sent = await trail.send(encodeParts(parts, letter.method, t.env.client.baseUrl, 'Epost_msg_send'));
  judgeReply(t, sent);
  const demand = demandOf({ kind: 'parts', code: 'Epost_msg_send', method: letter.method, parts }, parts);
  if (demand.must === 'refuse') return judgeRefused(t, sent, demand.rule, 'its subject or body holds what M1 or M2 forbids');
  const resp = respOf(sent);
  if (demand.must === 'either' && resp !== 1) return t.check(resp === -1.1, 'M2', `a message the Hive may take or refuse (${demand.why}) was answered ${describeReplyCode(resp)}, neither 1 nor -1.1`, sent);
  t.check(resp === 1, 'T5', `a message of valid Unicode text was refused with ${describeReplyCode(resp)}; any scalar value must round-trip`, sent);
  const { conv, msg } = sent.reply!.json as { conv: string; msg: string };
  const { found, exchange } = await findMessage(t, trail, sender, conv, msg);
  t.check(found, 'Q7', `message ${msg} is not in its conversation ${conv}`, exchange);
  for (const part of ['subject', 'body'] as const) {
    const wrote = letter.parts[part] as string;
    const read = found![part];
    // Spelled out only on a failure: the texts are long and this runs for every letter.
    if (read !== wrote) t.fail('T5', `the ${part} came back changed ${typeof read === 'string' ? difference(wrote, read) : `as ${showValue(read)}`}`, exchange);
  }
}
