// Address checks (profile §2): address forms (A1, A2) and the reserved psychocat (A3).
import { randomBytes } from 'node:crypto';
import { defineSuite } from '../src/checks/check.js';
import type { CheckContext } from '../src/checks/context.js';
import { isFullAddress, SYSTEM_USER, systemAddress } from '../src/protocol/address.js';
import { readPage, sendMessage } from '../src/checks/conversation-steps.js';
import { contactsOf, register } from '../src/checks/account-steps.js';
import { sameList } from '../src/checks/lists.js';
import type { RuleId } from '../src/protocol/rules.js';

/** The Hive's domain; the checks that need it are declared for a request code, so they are skipped without it. */
function domainOf(t: CheckContext): string {
  return t.domain ?? t.skip("the Hive's domain is unknown");
}

/** The same name with every other letter upper-case: AbCd… (A1: the Hive must not care). */
function mixedCase(text: string): string {
  return [...text].map((char, i) => (i % 2 === 0 ? char.toUpperCase() : char)).join('');
}

/** Registers a fresh user under the address `written` makes of its name (resp 1, or the check ends under `rule`). */
async function registerWritten(t: CheckContext, prefix: string, written: (name: string) => string, rule: RuleId, doing = 'registering'): Promise<{ name: string; pass: string; registered: string }> {
  const name = t.uniqueName(prefix);
  const pass = randomBytes(12).toString('base64url');
  const registered = written(name);
  t.expectResp(await register(t, registered, pass), 1, rule, `${doing} ${registered}`);
  return { name, pass, registered };
}

/** The addresses a reply writes: from and to of its Messages, contact of its directory entries. */
function replyAddresses(json: unknown): string[] {
  if (json === null || typeof json !== 'object') return [];
  const reply = json as { msgs?: unknown; msg?: unknown; contacts?: unknown };
  const messages = [...(Array.isArray(reply.msgs) ? reply.msgs : []), reply.msg] as { from?: unknown; to?: unknown }[];
  const entries = (Array.isArray(reply.contacts) ? reply.contacts : []) as { contact?: unknown }[];
  const written = [...messages.flatMap((m) => (m && typeof m === 'object' ? [m.from, ...(Array.isArray(m.to) ? m.to : [])] : [])), ...entries.map((e) => e?.contact)];
  return written.filter((address): address is string => typeof address === 'string');
}

export const addressesSuite = defineSuite('addresses', 'Addresses (A1–A3)', [
  {
    id: 'PAME-ADDR-001',
    title: 'user names are one user in any letter case',
    rules: ['A1'],
    level: 'MUST',
    code: 'Epost_user_register',
    needs: ['registration'],
    async run(t) {
      const domain = domainOf(t);
      const { name, pass, registered: mixed } = await registerWritten(t, 'case', (name) => `${mixedCase(name)}::${domain.toUpperCase()}`, 'A1');
      const lower = `${name}::${domain}`;
      t.expectResp(await t.call('Epost_user_register', { iam: lower, pass }), -1.304, 'A1', `registering ${lower} after ${mixed}: the same user`);
      const sessions: string[] = [];
      try {
        for (const iam of [lower, name.toUpperCase()]) {
          const reply = t.expectResp(await t.call('Epost_session_open', { iam, pass }), 1, 'A1', `logging in as ${iam}, registered as ${mixed}`);
          sessions.push(String(reply.session));
        }
        const list = await t.call('Epost_contact_list', { iam: name.toUpperCase() }, { session: sessions[0]! });
        t.expectResp(list, 1, 'A1', `using the session opened as ${lower} with iam ${name.toUpperCase()}`);
      } finally {
        await Promise.all(sessions.map((session) => t.call('Epost_session_close', { iam: lower }, { session })));
      }
    },
  },
  {
    id: 'PAME-ADDR-002',
    title: 'replies write addresses in full and lower-case, however requests wrote them',
    rules: ['A1'],
    level: 'MUST',
    code: 'Epost_msg_send',
    async run(t) {
      const domain = domainOf(t);
      const [sender, recipient] = await t.loggedIn(2);
      const shouted = `${recipient.name.toUpperCase()}::${domain.toUpperCase()}`;
      const { conv } = await sendMessage(t, sender, { to: [shouted], body: 'hello in capitals' }, { rule: 'A1', doing: `sending to ${shouted}` });
      const read = await readPage(t, sender, conv, {}, { rule: 'A1' });
      const [message] = read;
      t.check(message?.from === sender.address && sameList(message.to, [recipient.address]), 'A1', `the message reads from ${message?.from} to ${JSON.stringify(message?.to)}, not from ${sender.address} to ["${recipient.address}"]`, read.exchange);

      const bare = mixedCase(recipient.name);
      t.expectResp(await t.call('Epost_contact_add', { iam: sender.address, contact: bare }, { session: sender.session }), 1, 'A1', `adding the contact ${bare}`);
      const contacts = await contactsOf(t, sender, {}, 'A1');
      const written = contacts.map((entry) => entry.contact);
      t.check(sameList(written, [recipient.address]) && written.every(isFullAddress), 'A1', `the contact added as ${bare} is listed as ${JSON.stringify(written)}, not ["${recipient.address}"]`, contacts.exchange);
    },
  },
  {
    id: 'PAME-ADDR-006',
    title: 'a user registered and logged in with a mixed-case name is written lower-case in every reply: message from and to, contact lists',
    rules: ['A1'],
    level: 'MUST',
    code: 'Epost_user_register',
    needs: ['registration'],
    async run(t) {
      const domain = domainOf(t);
      const { name, pass, registered } = await registerWritten(t, 'mixed', (name) => `${mixedCase(name)}::${domain}`, 'A1');
      // Logged in and writing as registered: a Hive that keeps the case it was given shows it in what follows.
      const mixed = { name, pass, address: registered };
      const user = { ...mixed, session: await t.login(mixed) };
      const [peer] = await t.loggedIn(1);
      const { conv } = await sendMessage(t, user, { to: [peer.address], body: 'from a mixed-case name' }, { rule: 'A1' });
      await sendMessage(t, peer, { to: [`${name}::${domain}`], body: 'back to the lower-case name' }, { rule: 'A1' });
      t.expectResp(await t.call('Epost_contact_add', { iam: registered, contact: peer.address }, { session: user.session }), 1, 'A1', `${registered} adding a contact`);
      t.expectResp(await t.call('Epost_contact_add', { iam: peer.address, contact: `${name}::${domain}` }, { session: peer.session }), 1, 'A1', `adding ${name}::${domain} as a contact`);
      await t.call('Epost_conv_new', { iam: registered }, { session: user.session });
      await t.call('Epost_conv_new', { iam: peer.address }, { session: peer.session });
      await readPage(t, user, conv, {}, { rule: 'A1' });
      await readPage(t, peer, conv, {}, { rule: 'A1' });
      await contactsOf(t, user, {}, 'A1');
      await contactsOf(t, peer, {}, 'A1');
      for (const exchange of t.exchanges) {
        const shouting = replyAddresses(exchange.reply?.json).filter((address) => address !== address.toLowerCase());
        t.check(shouting.length === 0, 'A1', `the reply to ${exchange.code} writes ${shouting.join(', ')}: addresses in replies are lower-case, whatever case the user registered with`, exchange);
      }
    },
  },
  {
    id: 'PAME-ADDR-003',
    title: "a bare user name names a user of the Hive's own domain",
    rules: ['A2'],
    level: 'MUST',
    code: 'Epost_msg_send',
    needs: ['registration'],
    async run(t) {
      const domain = domainOf(t);
      const { name, pass } = await registerWritten(t, 'bare', (name) => name, 'A2', 'registering the bare name');
      const registered = { name, pass, address: `${name}::${domain}` };
      const user = { ...registered, session: await t.login(registered) };
      t.expectResp(await t.call('Epost_contact_list', { iam: name }, { session: user.session }), 1, 'A2', `a session request with the bare iam ${name}`);

      const [recipient] = await t.loggedIn(1);
      const sent = await sendMessage(t, user, { to: [recipient.name], body: 'to a bare name' }, { rule: 'A2', doing: `sending to the bare name ${recipient.name}` });
      const read = await readPage(t, recipient, sent.conv, {}, { rule: 'A2' });
      const [message] = read;
      t.check(message !== undefined && sameList(message.to, [recipient.address]), 'A2', `a message sent to ${recipient.name} reached ${recipient.address} as to ${JSON.stringify(message?.to)}`, read.exchange);

      t.expectResp(await t.call('Epost_contact_add', { iam: user.address, contact: recipient.name }, { session: user.session }), 1, 'A2', `adding the bare contact ${recipient.name}`);
      const contacts = await contactsOf(t, user, {}, 'A2');
      t.check(contacts.some((entry) => entry.contact === recipient.address), 'A2', `the bare contact ${recipient.name} is not listed as ${recipient.address}: ${JSON.stringify(contacts)}`, contacts.exchange);
    },
  },
  {
    id: 'PAME-ADDR-004',
    title: 'nobody can register psychocat, in any form, nor log in as it',
    rules: ['A3'],
    level: 'MUST',
    code: 'Epost_user_register',
    needs: ['registration'],
    async run(t) {
      const domain = domainOf(t);
      const forms: [string, number[]][] = [
        [SYSTEM_USER, [-1.304]],
        [systemAddress(domain), [-1.304]],
        [mixedCase(SYSTEM_USER), [-1.304]],
        [systemAddress(domain).toUpperCase(), [-1.304]],
        // Another domain's psychocat is both reserved (A3) and foreign (Q2): either refusal will do.
        [systemAddress('elsewhere.pame.test'), [-1.304, -1.1]],
      ];
      for (const [iam, refusals] of forms) {
        const pass = randomBytes(12).toString('base64url');
        t.expectResp(await t.call('Epost_user_register', { iam, pass }), refusals, 'A3', `registering ${iam}`);
        const login = await t.call('Epost_session_open', { iam: systemAddress(domain), pass });
        t.expectResp(login, -1.301, 'A3', `logging in as psychocat with the password just offered for ${iam}`);
      }
    },
  },
  {
    id: 'PAME-ADDR-005',
    title: "the Hive's psychocat is a valid recipient and contact",
    rules: ['A3'],
    level: 'MUST',
    code: 'Epost_msg_send',
    async run(t) {
      const system = systemAddress(domainOf(t));
      const [user] = await t.loggedIn(1);
      const { conv } = await sendMessage(t, user, { to: [system], body: 'a word for the operator' }, { rule: 'A3', doing: `sending to ${system}` });
      const read = await readPage(t, user, conv, {}, { rule: 'A3' });
      const [message] = read;
      t.check(message !== undefined && sameList(message.to, [system]), 'A3', `a message sent to ${system} is addressed to ${JSON.stringify(message?.to)}`, read.exchange);
      t.expectResp(await t.call('Epost_contact_add', { iam: user.address, contact: system }, { session: user.session }), 1, 'A3', `adding ${system} as a contact`);
      const contacts = await contactsOf(t, user, {}, 'A3');
      t.check(contacts.some((entry) => entry.contact === system && !entry.blocked), 'A3', `${system} is not in the directory as an unblocked contact: ${JSON.stringify(contacts)}`, contacts.exchange);
    },
  },
]);
