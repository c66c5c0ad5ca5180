// T9 (profile §1): message dates are UTC, written RFC 3339 with Z.
import { defineChecks } from '../../src/checks/check.js';
import { readPage, sendMessage } from '../../src/checks/conversation-steps.js';
import { UTC_DATE } from '../../src/protocol/date.js';

export const dateChecks = defineChecks([
  {
    id: 'PAME-WIRE-027',
    title: 'message dates are UTC, written RFC 3339 with Z',
    rules: ['T9'],
    level: 'MUST',
    code: 'Epost_conv_new',
    async run(t) {
      const [sender, recipient] = await t.loggedIn(2);
      const { conv } = await sendMessage(t, sender, { to: [recipient.address], body: 'what time is it?' });
      const fresh = await t.call('Epost_conv_new', { iam: recipient.address, conv }, { session: recipient.session });
      // A wrong resp is Q6's or Q7's business; the reply schemas already name T9 for a bad date.
      const fromNew = (t.expectResp(fresh, 1, 'Q6', 'reading the new message').msgs ?? []) as { date?: unknown }[];
      const fromOld = await readPage(t, sender, conv);
      for (const [messages, exchange] of [[fromNew, fresh], [fromOld, fromOld.exchange]] as const) {
        for (const { date } of messages) {
          t.check(typeof date === 'string' && UTC_DATE.test(date) && !Number.isNaN(Date.parse(date)), 'T9', `date ${JSON.stringify(date)} is not RFC 3339 UTC ending in Z`, exchange);
        }
      }
    },
  },
]);
