// Conversations (profile §5 Q6, Q7): what Epost_conv_new and Epost_conv_old hand out.
import { isDeepStrictEqual } from 'node:util';
import { defineSuite } from '../src/checks/check.js';
import type { MsgSendOk } from '../src/generated/schemas.js';
import { RESP } from '../src/protocol/reply-codes.js';
import { expectNothingNew, findSent, messageIds, readPage, sendMessage, takeNew } from '../src/checks/conversation-steps.js';
import { sorted } from '../src/checks/lists.js';

export const conversationsSuite = defineSuite('conversations', 'Conversations (Q6, Q7)', [
  {
    id: 'PAME-CONV-001',
    title: 'Epost_conv_new hands out new messages newest first, across conversations',
    rules: ['Q6'],
    level: 'MUST',
    code: 'Epost_conv_new',
    async run(t) {
      const [ana, cy, reader] = await t.loggedIn(3);
      const sent: MsgSendOk[] = [];
      // One after the other, so the Hive receives them in this order.
      for (const [from, body] of [[ana, 'first'], [cy, 'second'], [ana, 'third'], [cy, 'fourth']] as const) sent.push(await sendMessage(t, from, { to: [reader.address], body }));
      const fresh = await takeNew(t, reader);
      const expected = messageIds(sent).reverse();
      t.check(isDeepStrictEqual(messageIds(fresh), expected), 'Q6', `got ${JSON.stringify(fresh.map((m) => m.body))}, expected newest first: fourth, third, second, first`, fresh.exchange);
    },
  },
  {
    id: 'PAME-CONV-002',
    title: 'Epost_conv_new hands out each message once: afterwards it answers 0 until something new arrives, and then only that',
    rules: ['Q6'],
    level: 'MUST',
    code: 'Epost_conv_new',
    async run(t) {
      const [sender, reader] = await t.loggedIn(2);
      await expectNothingNew(t, reader, 'Q6', 'a new user has received nothing');
      const first = await Promise.all([sendMessage(t, sender, { to: [reader.address], body: 'one' }), sendMessage(t, sender, { to: [reader.address], body: 'two' })]);
      const fresh = await takeNew(t, reader);
      t.check(isDeepStrictEqual(sorted(messageIds(fresh)), sorted(messageIds(first))), 'Q6', `the first Epost_conv_new gave ${JSON.stringify(messageIds(fresh))}, expected ${JSON.stringify(messageIds(first))}`, fresh.exchange);
      await expectNothingNew(t, reader, 'Q6', 'both messages were already retrieved');
      const third = await sendMessage(t, sender, { to: [reader.address], body: 'three' });
      const later = await takeNew(t, reader);
      t.check(isDeepStrictEqual(messageIds(later), [third.msg]), 'Q6', `after one more message, Epost_conv_new gave ${JSON.stringify(later.map((m) => m.body))}, expected only "three"`, later.exchange);
    },
  },
  {
    id: 'PAME-CONV-003',
    title: "a user's own messages are not new to them, unless they are also a recipient",
    rules: ['Q6'],
    level: 'MUST',
    code: 'Epost_conv_new',
    async run(t) {
      const [sender, reader] = await t.loggedIn(2);
      await sendMessage(t, sender, { to: [reader.address], body: 'to the reader' });
      await expectNothingNew(t, sender, 'Q6', 'the sender only sent a message');
      const toSelf = await sendMessage(t, sender, { to: [sender.address, reader.address], body: 'to the reader and to myself' });
      const fresh = await takeNew(t, sender);
      t.check(isDeepStrictEqual(messageIds(fresh), [toSelf.msg]), 'Q6', `a sender who is also a recipient should get exactly that message as new, got ${JSON.stringify(fresh.map((m) => m.body))}`, fresh.exchange);
    },
  },
  {
    id: 'PAME-CONV-004',
    title: "Epost_conv_new with conv hands out that conversation's new messages only, and leaves the others new",
    rules: ['Q6'],
    level: 'MUST',
    code: 'Epost_conv_new',
    async run(t) {
      const [ana, cy, reader] = await t.loggedIn(3);
      const fromAna = await sendMessage(t, ana, { to: [reader.address], body: 'from ana' });
      const fromCy = await sendMessage(t, cy, { to: [reader.address], body: 'from cy' });
      const ofAna = await takeNew(t, reader, { conv: fromAna.conv });
      t.check(isDeepStrictEqual(messageIds(ofAna), [fromAna.msg]), 'Q6', `Epost_conv_new of ana's conversation gave ${JSON.stringify(ofAna.map((m) => m.body))}, expected only "from ana"`, ofAna.exchange);
      const rest = await takeNew(t, reader);
      t.check(isDeepStrictEqual(messageIds(rest), [fromCy.msg]), 'Q6', `then Epost_conv_new gave ${JSON.stringify(rest.map((m) => m.body))}, expected only "from cy", still new`, rest.exchange);
    },
  },
  {
    id: 'PAME-CONV-005',
    title: 'reading a conversation with Epost_conv_old leaves its new messages new',
    rules: ['Q6', 'Q7'],
    level: 'MUST',
    code: 'Epost_conv_old',
    async run(t) {
      const [sender, reader] = await t.loggedIn(2);
      const sent = await sendMessage(t, sender, { to: [reader.address], body: 'read me twice' });
      findSent(t, await readPage(t, reader, sent.conv), sent, 'Q7', reader.address);
      const fresh = await takeNew(t, reader);
      t.check(isDeepStrictEqual(messageIds(fresh), [sent.msg]), 'Q6', `after Epost_conv_old, Epost_conv_new gave ${JSON.stringify(messageIds(fresh))}, expected the message still new: ${sent.msg}`, fresh.exchange);
    },
  },
  {
    id: 'PAME-CONV-006',
    title: 'Epost_conv_new and Epost_conv_old give the same -3.2 reply for an unknown conversation and for one the user is not in',
    rules: ['Q6', 'Q7', 'R2'],
    level: 'MUST',
    code: 'Epost_conv_old',
    async run(t) {
      const [sender, reader, outsider] = await t.loggedIn(3);
      const sent = await sendMessage(t, sender, { to: [reader.address], body: 'between two' });
      const unknown = `${sent.conv}x`;
      for (const [code, rule] of [['Epost_conv_new', 'Q6'], ['Epost_conv_old', 'Q7']] as const) {
        const asOutsider = { session: outsider.session };
        const notIn = await t.call(code, { iam: outsider.address, conv: sent.conv }, asOutsider);
        t.expectResp(notIn, RESP.NO_CONVERSATION, rule, 'a conversation the user is not in');
        const missing = await t.call(code, { iam: outsider.address, conv: unknown }, asOutsider);
        t.expectResp(missing, RESP.NO_CONVERSATION, rule, 'a conversation that does not exist');
        const same = notIn.reply!.status === missing.reply!.status && notIn.reply!.bytes.equals(missing.reply!.bytes);
        t.check(same, rule, `${code} answers HTTP ${notIn.reply!.status} ${notIn.reply!.bytes.toString('utf8')} for a conversation the user is not in, HTTP ${missing.reply!.status} ${missing.reply!.bytes.toString('utf8')} for one that does not exist`, missing);
      }
      findSent(t, await takeNew(t, reader), sent, 'Q6', `${reader.address}, after an outsider asked for the conversation,`);
    },
  },
  {
    id: 'PAME-CONV-007',
    title: 'Epost_conv_old pages through a conversation newest first with start and limit, and answers 0 past the end',
    rules: ['Q7', 'E4'],
    level: 'MUST',
    code: 'Epost_conv_old',
    async run(t) {
      const [sender, reader] = await t.loggedIn(2);
      const sent: MsgSendOk[] = [];
      for (const body of ['oldest', 'middle', 'newest']) sent.push(await sendMessage(t, sender, { to: [reader.address], body }));
      const conv = sent[0]!.conv;
      const newestFirst = messageIds(sent).reverse();
      for (const viewer of [reader, sender]) {
        // limit 1 is a page every Hive serves, whatever its largest page (E4).
        for (let start = 0; start < newestFirst.length; start++) {
          const page = await readPage(t, viewer, conv, { start, limit: 1 });
          t.check(isDeepStrictEqual(messageIds(page), [newestFirst[start]]), 'Q7', `start ${start}, limit 1 gave ${JSON.stringify(page.map((m) => m.body))}, expected ${JSON.stringify([['newest', 'middle', 'oldest'][start]])}`, page.exchange);
        }
        const past = await readPage(t, viewer, conv, { start: newestFirst.length, limit: 1 });
        t.check(past.length === 0, 'Q7', `start ${newestFirst.length} is past the end, yet the Hive gave ${JSON.stringify(past.map((m) => m.body))}`, past.exchange);
        const read = await readPage(t, viewer, conv);
        const defaultPage = messageIds(read);
        t.check(defaultPage.length > 0 && isDeepStrictEqual(defaultPage, newestFirst.slice(0, defaultPage.length)), 'Q7', `the default page is ${JSON.stringify(defaultPage)}, not the newest messages first: ${JSON.stringify(newestFirst)}`, read.exchange);
      }
    },
  },
]);
