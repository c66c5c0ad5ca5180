// Contacts (profile §5 Q8, Q9): adding, blocking and removing entries of the
// session user's directory, what a block does to messages (-3.4), and that
// Epost_contact_list shows that directory and no other.
import { isDeepStrictEqual } from 'node:util';
import { defineSuite } from '../src/checks/check.js';
import type { CheckContext, SessionUser } from '../src/checks/context.js';
import type { ContactListOk } from '../src/generated/schemas.js';
import { RESP } from '../src/protocol/reply-codes.js';
import type { RuleId } from '../src/protocol/rules.js';
import { judged, type Judged } from '../src/checks/judged.js';
import { expectNothingNew, expectSendRefused, sendMessage, takeNew } from '../src/checks/conversation-steps.js';

type DirectoryCode = 'Epost_contact_add' | 'Epost_contact_block' | 'Epost_contact_remove';
type Entry = ContactListOk['contacts'][number];

/** Sends a directory request and expects `resp`, or ends the check naming `rule`. */
async function edit(t: CheckContext, owner: SessionUser, code: DirectoryCode, contact: unknown, resp: number | readonly number[], rule: RuleId = 'Q8', doing?: string): Promise<void> {
  const exchange = await t.call(code, { iam: owner.address, contact }, { session: owner.session });
  t.expectResp(exchange, resp, rule, doing ?? `${code} of ${JSON.stringify(contact)}`);
}

/** The owner's directory as Epost_contact_list gives it, with any other parts sent along. */
async function directory(t: CheckContext, owner: SessionUser, extra: Readonly<Record<string, unknown>> = {}, rule: RuleId = 'Q9'): Promise<Judged<Entry[]>> {
  const exchange = await t.call('Epost_contact_list', { ...extra, iam: owner.address }, { session: owner.session });
  return judged((t.expectResp(exchange, RESP.OK, rule, `listing ${owner.address}'s contacts`) as unknown as ContactListOk).contacts, exchange);
}

/** Entries in a stable order, for comparing directories whatever order the Hive lists them in. */
function sortedEntries(entries: readonly Entry[]): Entry[] {
  return [...entries].sort((a, b) => a.contact.localeCompare(b.contact));
}

/** Ends the check naming `rule` unless the owner's directory holds exactly these entries. */
async function expectDirectory(t: CheckContext, owner: SessionUser, expected: readonly Entry[], rule: RuleId, why: string): Promise<void> {
  const listed = await directory(t, owner);
  t.check(isDeepStrictEqual(sortedEntries(listed), sortedEntries(expected)), rule, `${why}: expected ${JSON.stringify(sortedEntries(expected))}, listed ${JSON.stringify(listed)}`, listed.exchange);
}

/**
 * Adding a blocked user again (L-Q8-add-listed): Q8 gives add the reply 1 and
 * names only remove as what unblocks, so the entry may stay blocked or be
 * unblocked. Either way it is listed once, and the blocked user's next message
 * does what the list says: -3.4 and not delivered while blocked, delivered not.
 */
async function expectAddAgainAgrees(t: CheckContext, owner: SessionUser, blocked: SessionUser): Promise<void> {
  await edit(t, owner, 'Epost_contact_add', blocked.address, RESP.OK, 'Q8', 'adding a blocked user again');
  const listed = await directory(t, owner);
  const entries = listed.filter((entry) => entry.contact === blocked.address);
  if (entries.length !== 1) t.fail('Q9', `after adding the blocked user ${blocked.address} again, the list holds ${entries.length} entries for them: ${JSON.stringify(listed)}`, listed.exchange);
  const stillBlocked = entries[0]!.blocked;
  t.note(`adding a blocked user again ${stillBlocked ? 'left the block in force' : 'lifted the block'}; Q8 permits both`);
  const body = stillBlocked ? 'blocked, then added again' : 'added again, listed unblocked';
  if (stillBlocked) await expectSendRefused(t, blocked, { to: [owner.address], body }, RESP.NOT_WELCOME, 'Q8', 'the list still shows the sender blocked after they were added again');
  else await sendMessage(t, blocked, { to: [owner.address], body }, { rule: 'Q8', doing: 'the list shows the sender unblocked after they were added again' });
  const fresh = await takeNew(t, owner, { rule: 'Q8' });
  const arrived = fresh.some((m) => m.from === blocked.address && m.body === body);
  t.check(arrived !== stillBlocked, 'Q8', `the list shows ${blocked.address} ${stillBlocked ? 'blocked' : 'unblocked'} after they were added again, yet their message ${arrived ? 'arrived' : 'did not arrive'}: ${JSON.stringify(fresh.map((m) => m.body))}`, fresh.exchange);
}

export const contactsSuite = defineSuite('contacts', 'Contacts (Q8, Q9)', [
  {
    id: 'PAME-CON-001',
    title: 'Epost_contact_add answers 1 for a local user, written bare, in upper case or in full, and for a remote address; the list shows each once, in full and lower-case, unblocked',
    rules: ['Q8', 'Q9', 'A1', 'A2'],
    level: 'MUST',
    code: 'Epost_contact_add',
    async run(t) {
      const [owner, friend] = await t.loggedIn(2);
      const remote = 'someone::elsewhere.example';
      await edit(t, owner, 'Epost_contact_add', friend.name, RESP.OK, 'A2', 'adding a local user written bare');
      await edit(t, owner, 'Epost_contact_add', friend.address.toUpperCase(), RESP.OK, 'A1', 'adding the same user again, in upper case');
      await edit(t, owner, 'Epost_contact_add', friend.address, RESP.OK, 'Q8', 'adding the same user again, as written in replies');
      await edit(t, owner, 'Epost_contact_add', remote, RESP.OK, 'Q8', 'adding a remote address: only its form is checked');
      await expectDirectory(t, owner, [{ contact: friend.address, blocked: false }, { contact: remote, blocked: false }], 'Q9', 'two contacts added, one of them three times');
    },
  },
  {
    id: 'PAME-CON-002',
    title: "Epost_contact_add of a malformed address or an unknown local user, and _block of a malformed address, get -3.3 and change nothing; _block of an unknown local user may get 1 (a block laid in advance, listed as blocked) or -3.3, the Hive's choice",
    rules: ['Q8'],
    level: 'MUST',
    code: 'Epost_contact_add',
    async run(t) {
      const [owner] = await t.loggedIn(1);
      const nobody = t.uniqueName('nobody');
      const unknown: [string, string][] = [
        [nobody, 'an unknown local user, written bare'],
        [t.address(nobody), 'an unknown local user, written in full'],
      ];
      const malformed: [string, string][] = [
        ['not an address', 'no address at all'],
        ['someone::', 'an address without a domain'],
        ['a::b::c', 'an address with two ::'],
      ];
      await Promise.all([...unknown, ...malformed].map(([contact, what]) => edit(t, owner, 'Epost_contact_add', contact, RESP.NOT_A_CONTACT, 'Q8', `Epost_contact_add of ${what}: ${JSON.stringify(contact)}`)));
      await Promise.all(malformed.map(([contact, what]) => edit(t, owner, 'Epost_contact_block', contact, RESP.NOT_A_CONTACT, 'Q8', `Epost_contact_block of ${what}: ${JSON.stringify(contact)}`)));
      // Q8 (L-Q8-block-unknown): a block may be laid in advance; once answered 1, it is in the directory, blocked.
      let laid = 0;
      for (const [contact, what] of unknown) {
        const exchange = await t.call('Epost_contact_block', { iam: owner.address, contact }, { session: owner.session });
        if (t.expectResp(exchange, [RESP.OK, RESP.NOT_A_CONTACT], 'Q8', `Epost_contact_block of ${what}: ${JSON.stringify(contact)}`).resp === RESP.OK) laid++;
      }
      t.note(`Epost_contact_block of an unknown local user was ${laid > 0 ? 'taken as a block laid in advance (1)' : 'refused (-3.3)'}; both are permitted`);
      // Not an entry of the directory either way: 0 (not there) or -3.3 (not an address).
      await edit(t, owner, 'Epost_contact_remove', 'not an address', [RESP.NO, RESP.NOT_A_CONTACT], 'Q8', 'removing something that is no address');
      const blocked = laid > 0 ? [{ contact: t.address(nobody), blocked: true }] : [];
      await expectDirectory(t, owner, blocked, 'Q8', laid > 0 ? 'every edit but the block of an unknown user was refused' : 'every edit was refused');
    },
  },
  {
    id: 'PAME-CON-003',
    title: 'Epost_contact_remove answers 1 and takes the entry off the list, and 0 for an address that is not on it',
    rules: ['Q8'],
    level: 'MUST',
    code: 'Epost_contact_remove',
    async run(t) {
      const [owner, friend, stranger] = await t.loggedIn(3);
      await edit(t, owner, 'Epost_contact_add', friend.address, RESP.OK);
      await edit(t, owner, 'Epost_contact_remove', friend.address, RESP.OK, 'Q8', 'removing a contact that is on the list');
      await expectDirectory(t, owner, [], 'Q8', 'the only contact was removed');
      await edit(t, owner, 'Epost_contact_remove', friend.address, RESP.NO, 'Q8', 'removing the same contact again');
      await edit(t, owner, 'Epost_contact_remove', stranger.address, RESP.NO, 'Q8', 'removing a user who was never added');
    },
  },
  {
    id: 'PAME-CON-004',
    title: "Epost_contact_block makes the blocked user's messages fail with -3.4 and reach nothing, shows the entry as blocked, and leaves others' messages alone; adding the blocked user again answers 1, and the block stays or is lifted as the list then says",
    rules: ['Q8', 'Q9', 'Q5'],
    level: 'MUST',
    code: 'Epost_contact_block',
    async run(t) {
      const [owner, blocked, other] = await t.loggedIn(3);
      await edit(t, owner, 'Epost_contact_add', other.address, RESP.OK);
      await edit(t, owner, 'Epost_contact_block', blocked.address, RESP.OK, 'Q8', 'blocking a user');
      await expectDirectory(t, owner, [{ contact: other.address, blocked: false }, { contact: blocked.address, blocked: true }], 'Q9', 'one contact added, one blocked');
      await expectSendRefused(t, blocked, { to: [owner.address], body: 'from a blocked user' }, RESP.NOT_WELCOME, 'Q8', 'the recipient blocked the sender');
      await expectNothingNew(t, owner, 'Q8', 'the only message came from a blocked user');
      const allowed = await sendMessage(t, other, { to: [owner.address], body: 'from a contact' }, { rule: 'Q8', doing: 'a block stops the blocked user only' });
      const fresh = await takeNew(t, owner, { rule: 'Q8' });
      t.check(fresh.some((m) => m.msg === allowed.msg), 'Q8', `the message of a user who is not blocked did not arrive: ${JSON.stringify(fresh.map((m) => m.msg))}`, fresh.exchange);
      await expectAddAgainAgrees(t, owner, blocked);
    },
  },
  {
    id: 'PAME-CON-005',
    title: 'Epost_contact_remove of a blocked user lifts the block: their messages arrive again',
    rules: ['Q8'],
    level: 'MUST',
    code: 'Epost_contact_remove',
    async run(t) {
      const [owner, blocked] = await t.loggedIn(2);
      await edit(t, owner, 'Epost_contact_block', blocked.address, RESP.OK);
      await expectSendRefused(t, blocked, { to: [owner.address], body: 'while blocked' }, RESP.NOT_WELCOME, 'Q8', 'the recipient blocked the sender');
      await edit(t, owner, 'Epost_contact_remove', blocked.address, RESP.OK, 'Q8', 'removing the blocked user');
      await expectDirectory(t, owner, [], 'Q8', 'the blocked user was removed');
      const sent = await sendMessage(t, blocked, { to: [owner.address], body: 'after the block was lifted' }, { rule: 'Q8', doing: 'removing a blocked user unblocks them' });
      const fresh = await takeNew(t, owner, { rule: 'Q8' });
      t.check(isDeepStrictEqual(fresh.map((m) => m.msg), [sent.msg]), 'Q8', `after the block was lifted, the owner got ${JSON.stringify(fresh.map((m) => m.body))}, expected only the message sent after it`, fresh.exchange);
    },
  },
  {
    id: 'PAME-CON-006',
    title: "Epost_contact_list gives the session user's own directory, whatever contact, iam2, user, owner or of parts name another user",
    rules: ['Q9', 'E3', 'F1'],
    level: 'MUST',
    code: 'Epost_contact_list',
    async run(t) {
      const [owner, other] = await t.loggedIn(2);
      const [theirFriend, theirFoe, myFriend] = await t.users(3);
      await edit(t, other, 'Epost_contact_add', theirFriend.address, RESP.OK);
      await edit(t, other, 'Epost_contact_block', theirFoe.address, RESP.OK);
      const naming = other.address;
      const extras = [{ contact: naming }, { iam2: naming }, { user: naming }, { owner: naming }, { of: naming }, { contact: naming, iam2: naming, user: naming }];
      const theirs = new Set([theirFriend.address, theirFoe.address]);
      for (const expected of [[], [{ contact: myFriend.address, blocked: false }]]) {
        if (expected.length > 0) await edit(t, owner, 'Epost_contact_add', myFriend.address, RESP.OK);
        for (const extra of extras) {
          const listed = await directory(t, owner, extra);
          const evidence = listed.exchange;
          t.check(!listed.some((entry) => theirs.has(entry.contact)), 'F1', `with ${JSON.stringify(extra)}, ${owner.address} was given ${naming}'s contacts: ${JSON.stringify(listed)}`, evidence);
          t.check(isDeepStrictEqual(listed, expected), 'Q9', `with ${JSON.stringify(extra)}, the list is ${JSON.stringify(listed)}, not ${owner.address}'s own ${JSON.stringify(expected)}`, evidence);
        }
      }
    },
  },
  {
    id: 'PAME-CON-007',
    title: 'an empty directory is listed as {"resp":1,"contacts":[]}, for a new user and after the last entry is removed',
    rules: ['Q9'],
    level: 'MUST',
    code: 'Epost_contact_list',
    async run(t) {
      const [owner, friend] = await t.loggedIn(2);
      await expectDirectory(t, owner, [], 'Q9', 'a new user has no contacts');
      await edit(t, owner, 'Epost_contact_add', friend.address, RESP.OK);
      await edit(t, owner, 'Epost_contact_remove', friend.address, RESP.OK);
      await expectDirectory(t, owner, [], 'Q9', 'the only contact was removed');
    },
  },
]);
