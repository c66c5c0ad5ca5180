// Model-based testing: random sequences of protocol commands run against the
// Hive and the model side by side (fc.commands). Every reply is compared with
// what the model says a conformant Hive answers; fast-check shrinks a
// divergence to the shortest sequence that still shows it.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { CheckContext } from '../checks/context.js';
import type { Exchange } from '../client/exchange.js';
import type { RequestCode } from '../protocol/codes.js';
import { textDemand } from '../protocol/content.js';
import type { RuleId } from '../protocol/rules.js';
import { peerDomain } from '../peer/domains.js';
import { HiveModel, type ModelConversation, type ModelMessage, type ModelUser } from './model.js';
import type { Trail } from './runner.js';
import { showValue } from './send.js';
import { letterParts } from './roundtrip.js';

export interface RealHive {
  readonly t: CheckContext;
  readonly trail: Trail;
}

type Step = fc.AsyncCommand<HiveModel, RealHive>;
type Reply = Record<string, unknown>;

/** Users of a sequence: u0 and u1 registered and logged in by the setup, u2 not registered yet. */
const USERS = 3;
/** The contact slot past the users: an address of another Hive. */
const REMOTE = USERS;
/** A conversation id no Hive gave out. */
const NO_SUCH_CONVERSATION = 'fuzz-no-such-conversation';
/** The most a page may hold when limit is 0 (E4: the default page is at most 100). */
const MAX_DEFAULT_PAGE = 100;

function currentSession(user: ModelUser): string {
  return user.open.at(-1)!;
}

function call(r: RealHive, user: ModelUser, code: RequestCode, parts: Reply = {}, session = currentSession(user)): Promise<Exchange> {
  return r.trail.call(code, { iam: user.address, ...parts }, { session });
}

function contactAddress(m: HiveModel, slot: number): string {
  return slot === REMOTE ? m.remote : m.users[slot]!.address;
}

function contactLabel(slot: number): string {
  return slot === REMOTE ? 'remote' : `u${slot}`;
}

/** A conversation the model knows, or one that does not exist. */
function pickConversation(m: HiveModel, pick: number): ModelConversation | undefined {
  const index = pick % (m.conversations.length + 1);
  return m.conversations[index];
}

function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/** The messages of a reply are the model's, in its order, member for member. */
function compareMessages(t: CheckContext, exchange: Exchange, got: readonly Reply[], want: readonly ModelMessage[], rule: RuleId, what: string): void {
  const gotIds = got.map((m) => m.msg);
  const wantIds = want.map((m) => m.msg);
  t.check(sameList(gotIds, wantIds), rule, `${what}: expected messages ${showValue(wantIds)}, newest first, got ${showValue(gotIds)}`, exchange);
  want.forEach((expected, i) => {
    const actual = got[i]!;
    const fields: [string, unknown, unknown][] = [
      ['from', actual.from, expected.from], ['conv', actual.conv, expected.conv], ['subject', actual.subject, expected.subject],
      ['body', actual.body, expected.body], ['format', actual.format, expected.format], ['to', showValue([...(actual.to as string[])].sort()), showValue(expected.to)],
    ];
    // Changed text is T5's business (any scalar value round-trips), the rest the request code's.
    for (const [field, value, wanted] of fields) t.check(value === wanted, field === 'subject' || field === 'body' ? 'T5' : rule, `${what}: message ${expected.msg} has ${field} ${showValue(value)}, sent as ${showValue(wanted)}`, exchange);
  });
}

class Register implements Step {
  constructor(readonly user: number) {}
  check = () => true;
  async run(m: HiveModel, r: RealHive): Promise<void> {
    const user = m.users[this.user]!;
    const exchange = await r.trail.call('Epost_user_register', { iam: user.address, pass: user.pass });
    r.t.expectResp(exchange, user.registered ? -1.304 : 1, 'Q2', `${this}: ${user.label} is ${user.registered ? 'already' : 'not yet'} registered`);
    user.registered = true;
  }
  toString = () => `register(u${this.user})`;
}

class Open implements Step {
  constructor(readonly user: number, readonly rightPassword: boolean) {}
  check = () => true;
  async run(m: HiveModel, r: RealHive): Promise<void> {
    const user = m.users[this.user]!;
    const succeeds = user.registered && this.rightPassword;
    const exchange = await r.trail.call('Epost_session_open', { iam: user.address, pass: this.rightPassword ? user.pass : `${user.pass}x` });
    const reply = r.t.expectResp(exchange, succeeds ? 1 : -1.301, 'Q3', `${this}: ${user.label} is ${user.registered ? '' : 'not '}registered`);
    if (succeeds) user.open.push(reply.session as string);
  }
  toString = () => `open(u${this.user}${this.rightPassword ? '' : ', wrong password'})`;
}

class Close implements Step {
  constructor(readonly user: number) {}
  check = (m: Readonly<HiveModel>) => m.users[this.user]!.open.length > 0;
  async run(m: HiveModel, r: RealHive): Promise<void> {
    const user = m.users[this.user]!;
    r.t.expectResp(await call(r, user, 'Epost_session_close'), 1, 'Q4', String(this));
    user.closed.push(user.open.pop()!);
  }
  toString = () => `close(u${this.user})`;
}

/** A closed session key is refused (U2, Q4). */
class UseClosed implements Step {
  constructor(readonly user: number) {}
  check = (m: Readonly<HiveModel>) => m.users[this.user]!.closed.length > 0;
  async run(m: HiveModel, r: RealHive): Promise<void> {
    const user = m.users[this.user]!;
    r.t.expectResp(await call(r, user, 'Epost_contact_list', {}, user.closed.at(-1)), -1.303, 'U2', `${this}: that session was closed`);
  }
  toString = () => `list contacts of u${this.user} with its closed session`;
}

interface Letter {
  readonly subject: string;
  readonly body: string;
  readonly format: string;
}

class Send implements Step {
  constructor(readonly from: number, readonly to: readonly number[], readonly letter: Letter) {}
  check = (m: Readonly<HiveModel>) => m.users[this.from]!.open.length > 0;
  async run(m: HiveModel, r: RealHive): Promise<void> {
    const sender = m.users[this.from]!;
    const recipients = this.to.map((slot) => m.users[slot]!);
    const unknown = recipients.some((u) => !u.registered);
    const blocking = recipients.filter((u) => m.blocks(u.address, sender.address) === true);
    const undecided = recipients.filter((u) => m.blocks(u.address, sender.address) === undefined);
    const allowed = unknown
      ? blocking.length + undecided.length > 0 ? [-3.3, -3.4] : [-3.3]
      : blocking.length > 0 ? [-3.4] : undecided.length > 0 ? [1, -3.4] : [1];
    const stories = recipients.map((u) => m.story(u.address, sender.address)).filter(Boolean);
    const why = [unknown ? 'a recipient is not registered' : '', ...stories].filter(Boolean).join('; ');
    const exchange = await call(r, sender, 'Epost_msg_send', { to: recipients.map((u) => u.address), ...this.letter });
    // Blocks decide the outcome once a recipient has acted on the sender (Q8); the send itself is Q5.
    const reply = r.t.expectResp(exchange, allowed, stories.length > 0 ? 'Q8' : 'Q5', `${this}${why ? ` (${why})` : ''}`);
    if (reply.resp === -3.4 && !unknown && blocking.length === 0 && undecided.length === 1) m.directory(undecided[0]!.address).set(sender.address, true);
    if (reply.resp !== 1) return;
    for (const u of undecided) m.directory(u.address).set(sender.address, false);
    const to = [...new Set(recipients.map((u) => u.address))].sort();
    const participants = [...new Set([sender.address, ...to])].sort();
    let conversation = m.conversationOf(participants);
    const conv = reply.conv as string;
    if (conversation) r.t.check(conv === conversation.id, 'M4', `${this}: the same participants (${participants.map((a) => m.labelOf(a)).join(', ')}) are in conversation ${conversation.id}, the reply says ${conv}`, exchange);
    else {
      r.t.check(!m.conversations.some((c) => c.id === conv), 'M4', `${this}: conversation ${conv} already belongs to other participants`, exchange);
      m.conversations.push((conversation = { id: conv, participants, messages: [] }));
    }
    m.deliver({ msg: reply.msg as string, conv, from: sender.address, to, subject: this.letter.subject, body: this.letter.body, format: this.letter.format }, conversation);
  }
  toString = () => `send(u${this.from} → ${this.to.map((slot) => `u${slot}`).join(', ')}: ${showValue(this.letter)})`;
}

class ConvNew implements Step {
  constructor(readonly user: number, readonly conv: number | undefined) {}
  check = (m: Readonly<HiveModel>) => m.users[this.user]!.open.length > 0;
  async run(m: HiveModel, r: RealHive): Promise<void> {
    const user = m.users[this.user]!;
    const conversation = this.conv === undefined ? undefined : pickConversation(m, this.conv);
    const conv = this.conv === undefined ? undefined : (conversation?.id ?? NO_SUCH_CONVERSATION);
    const exchange = await call(r, user, 'Epost_conv_new', conv === undefined ? {} : { conv });
    if (conv !== undefined && !conversation?.participants.includes(user.address)) {
      r.t.expectResp(exchange, -3.2, 'Q6', `${this}: ${user.label} is not in ${conversation ? 'that conversation' : 'any such conversation'}`);
      return;
    }
    const expected = m.newMessages(user.address, conv);
    const reply = r.t.expectResp(exchange, expected.length > 0 ? 1 : 0, 'Q6', `${this}: ${expected.length} new message(s)`);
    if (reply.resp === 1) compareMessages(r.t, exchange, reply.msgs as Reply[], expected, 'Q6', String(this));
    m.retrieve(user.address, expected);
  }
  toString = () => `new messages of u${this.user}${this.conv === undefined ? '' : ` in conversation #${this.conv}`}`;
}

class ConvOld implements Step {
  constructor(readonly user: number, readonly conv: number, readonly start: number, readonly limit: number) {}
  check = (m: Readonly<HiveModel>) => m.users[this.user]!.open.length > 0;
  async run(m: HiveModel, r: RealHive): Promise<void> {
    const user = m.users[this.user]!;
    const conversation = pickConversation(m, this.conv);
    const exchange = await call(r, user, 'Epost_conv_old', { conv: conversation?.id ?? NO_SUCH_CONVERSATION, start: this.start, limit: this.limit });
    if (!conversation?.participants.includes(user.address)) {
      r.t.expectResp(exchange, -3.2, 'Q7', `${this}: ${user.label} is not in ${conversation ? 'that conversation' : 'any such conversation'}`);
      return;
    }
    const rest = [...conversation.messages].reverse().slice(this.start);
    const reply = r.t.expectResp(exchange, rest.length > 0 ? 1 : 0, 'Q7', `${this}: ${conversation.messages.length} message(s) in the conversation`);
    if (reply.resp !== 1) return;
    const got = reply.msgs as Reply[];
    // A Hive picks its own default and maximum page (E4): the page may be shorter, never longer, never empty.
    const most = Math.min(this.limit > 0 ? this.limit : MAX_DEFAULT_PAGE, rest.length);
    r.t.check(got.length <= most, 'E4', `${this}: ${got.length} messages, more than the ${most} that start ${this.start} and limit ${this.limit} allow`, exchange);
    compareMessages(r.t, exchange, got, rest.slice(0, got.length), 'Q7', String(this));
  }
  toString = () => `old messages of u${this.user} in conversation #${this.conv}, start ${this.start}, limit ${this.limit}`;
}

abstract class ContactStep implements Step {
  constructor(readonly user: number, readonly target: number) {}
  check = (m: Readonly<HiveModel>) => m.users[this.user]!.open.length > 0;
  abstract run(m: HiveModel, r: RealHive): Promise<void>;
  protected parts(m: HiveModel) {
    const user = m.users[this.user]!;
    const target = contactAddress(m, this.target);
    return { user, target, directory: m.directory(user.address), valid: m.isValidContact(target) };
  }
}

class Add extends ContactStep {
  override async run(m: HiveModel, r: RealHive): Promise<void> {
    const { user, target, directory, valid } = this.parts(m);
    const exchange = await call(r, user, 'Epost_contact_add', { contact: target });
    if (!valid) {
      r.t.expectResp(exchange, -3.3, 'Q8', `${this}: ${contactLabel(this.target)} is not registered`);
      return;
    }
    // Q8 gives a valid add the reply 1, listed or not, blocked or not.
    r.t.expectResp(exchange, 1, 'Q8', `${this}${directory.get(target) === true ? ' (blocked before)' : ''}`);
    // Adding an address that is blocked (or may be) may leave the block or lift it (L-Q8-add-listed): unknown until a list or a send shows it.
    directory.set(target, directory.has(target) && directory.get(target) !== false ? undefined : false);
    m.record(user.address, target, 'added');
  }
  override toString = () => `u${this.user} adds ${contactLabel(this.target)}`;
}

class Block extends ContactStep {
  override async run(m: HiveModel, r: RealHive): Promise<void> {
    const { user, target, directory, valid } = this.parts(m);
    const exchange = await call(r, user, 'Epost_contact_block', { contact: target });
    // Q8 names -3.3 for adding an unknown local user; for blocking one it leaves the choice open.
    const reply = r.t.expectResp(exchange, valid ? [1] : [1, -3.3], 'Q8', String(this));
    if (reply.resp !== 1) return;
    directory.set(target, true);
    m.record(user.address, target, 'blocked');
  }
  override toString = () => `u${this.user} blocks ${contactLabel(this.target)}`;
}

class Remove extends ContactStep {
  override async run(m: HiveModel, r: RealHive): Promise<void> {
    const { user, target, directory } = this.parts(m);
    const listed = directory.has(target);
    const story = m.story(user.address, target);
    r.t.expectResp(await call(r, user, 'Epost_contact_remove', { contact: target }), listed ? 1 : 0, 'Q8', `${this}: ${story || `${user.label} never listed it`}`);
    directory.delete(target);
    m.record(user.address, target, 'removed');
  }
  override toString = () => `u${this.user} removes ${contactLabel(this.target)}`;
}

class List implements Step {
  constructor(readonly user: number) {}
  check = (m: Readonly<HiveModel>) => m.users[this.user]!.open.length > 0;
  async run(m: HiveModel, r: RealHive): Promise<void> {
    const user = m.users[this.user]!;
    const exchange = await call(r, user, 'Epost_contact_list');
    const contacts = r.t.expectResp(exchange, 1, 'Q9', String(this)).contacts as { contact: string; blocked: boolean }[];
    const directory = m.directory(user.address);
    const listed = contacts.map((c) => c.contact).sort();
    const expected = [...directory.keys()].sort();
    r.t.check(sameList(listed, expected), 'Q9', `${this}: expected ${showValue(expected.map((a) => m.labelOf(a)))}, got ${showValue(listed.map((a) => m.labelOf(a)))}`, exchange);
    for (const { contact, blocked } of contacts) {
      const known = directory.get(contact);
      if (known === undefined) directory.set(contact, blocked);
      else r.t.check(blocked === known, 'Q9', `${this}: ${m.labelOf(contact)} is listed ${blocked ? '' : 'not '}blocked (${m.story(user.address, contact)})`, exchange);
    }
  }
  toString = () => `list contacts of u${this.user}`;
}

/** Registers u0 and u1 and opens a session for each; u2 is left for the register command. */
async function arrange(t: CheckContext, trail: Trail): Promise<{ model: HiveModel; real: RealHive }> {
  const users: ModelUser[] = Array.from({ length: USERS }, (_, i) => {
    const name = t.uniqueName(`m${i}`);
    return { label: `u${i}`, address: t.address(name), pass: randomBytes(12).toString('base64url'), registered: false, open: [], closed: [] };
  });
  const real = { t, trail };
  await Promise.all(users.slice(0, 2).map(async (user) => {
    t.expectResp(await trail.call('Epost_user_register', { iam: user.address, pass: user.pass }), 1, 'Q2', `setting up ${user.label}`);
    user.registered = true;
    user.open.push(t.expectResp(await trail.call('Epost_session_open', { iam: user.address, pass: user.pass }), 1, 'Q3', `setting up ${user.label}`).session as string);
  }));
  return { model: new HiveModel(users, `${t.uniqueName('far')}::${peerDomain('alpha')}`), real };
}

// u2 starts unregistered: it acts only after register and open, so the two others act most.
const slot = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constant(2) });
const target = fc.oneof(slot, fc.constant(REMOTE));
// The schema makes all three strings (subject and body without M1/M2's forms, format from its enum);
// the model expects every send to succeed, so a fragment M2 leaves to the Hive is not sent here.
const letter: fc.Arbitrary<Letter> = letterParts
  .map(({ subject, body, format }) => ({ subject: String(subject), body: String(body), format: String(format) }))
  .filter(({ subject, body }) => textDemand(subject) === 'accept' && textDemand(body) === 'accept');

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 1, arbitrary: slot.map((u) => new Register(u)) },
  { weight: 1, arbitrary: fc.tuple(slot, fc.boolean()).map(([u, right]) => new Open(u, right)) },
  { weight: 1, arbitrary: slot.map((u) => new Close(u)) },
  { weight: 1, arbitrary: slot.map((u) => new UseClosed(u)) },
  { weight: 6, arbitrary: fc.tuple(slot, fc.uniqueArray(slot, { minLength: 1, maxLength: USERS }), letter).map(([from, to, l]) => new Send(from, to, l)) },
  { weight: 2, arbitrary: fc.tuple(slot, fc.option(fc.nat(), { nil: undefined })).map(([u, conv]) => new ConvNew(u, conv)) },
  { weight: 2, arbitrary: fc.tuple(slot, fc.nat(), fc.nat({ max: 4 }), fc.constantFrom(0, 1, 2, 3, 1000)).map(([u, conv, start, limit]) => new ConvOld(u, conv, start, limit)) },
  { weight: 2, arbitrary: fc.tuple(slot, target).map(([u, c]) => new Add(u, c)) },
  { weight: 4, arbitrary: fc.tuple(slot, target).map(([u, c]) => new Block(u, c)) },
  { weight: 4, arbitrary: fc.tuple(slot, target).map(([u, c]) => new Remove(u, c)) },
  { weight: 2, arbitrary: slot.map((u) => new List(u)) },
);

export type CommandSequence = Iterable<Step>;

/** Command sequences over the model's users. */
export const commandSequences: fc.Arbitrary<CommandSequence> = fc.commands([step], { maxCommands: 100, size: 'max' });

/**
 * Runs one command sequence against fresh users of the Hive, comparing every
 * reply with the model; a divergence ends it with a CheckFailure. The
 * sessions it opened are closed afterwards.
 */
export async function runSequence(t: CheckContext, trail: Trail, commands: CommandSequence): Promise<void> {
  let model: HiveModel | undefined;
  try {
    await fc.asyncModelRun(async () => {
      const setup = await arrange(t, trail);
      model = setup.model;
      return setup;
    }, commands);
  } finally {
    const open = model?.users.flatMap((user) => user.open.map((session) => ({ user, session }))) ?? [];
    await Promise.all(open.map(({ user, session }) => t.env.client.call('Epost_session_close', { iam: user.address }, { session })));
  }
}
