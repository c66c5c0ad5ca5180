// T1 and T3 (profile §1): every request code is served at the base URL by GET
// and by POST; other methods are refused, HEAD never with a 5xx.
import { randomBytes } from 'node:crypto';
import { defineChecks, type Check, type Requirement } from '../../src/checks/check.js';
import type { CheckContext, SessionUser } from '../../src/checks/context.js';
import { encodeQuery } from '../../src/client/client.js';
import { sessionKeyOf, type Exchange } from '../../src/client/exchange.js';
import type { RequestCode } from '../../src/protocol/codes.js';
import { systemAddress } from '../../src/protocol/address.js';
import { UNREACHABLE_DOMAIN } from '../../src/peer/domains.js';
import { METHODS, sendMessage, type Method } from '../../src/checks/conversation-steps.js';
import { JSON_TYPE, pingParts } from './requests.js';

interface MethodProbe<Id extends string = string> {
  readonly id: Id;
  readonly code: RequestCode;
  readonly needs?: readonly Requirement[];
  /** The replies that show the Hive understood the request (anything but a refusal of its form). */
  readonly understood: readonly number[];
  /** Arranges what the request needs (by POST), then sends the request itself by `method`. */
  send(t: CheckContext, method: Method): Promise<Exchange>;
}

/** The psychocat of a domain no resolver knows. */
const UNREACHABLE_SYSTEM = systemAddress(UNREACHABLE_DOMAIN);
/** C3 gives step 2 ten seconds; the relay's answer may take that long, and a little more. */
const UNREACHABLE_RELAY_PROBE_MS = 12_000;

/** The parts besides iam a logged-in caller's request needs, arranged (by POST) before it is sent. */
type Arrange = (t: CheckContext, caller: SessionUser, method: Method) => Promise<Record<string, unknown>>;

/** A request of `code` from a freshly logged-in user, with the parts `arrange` makes ready. */
function callerProbe<const Id extends string>(id: Id, code: RequestCode, arrange: Arrange = async () => ({})): MethodProbe<Id> {
  return {
    id,
    code,
    understood: [1],
    async send(t, method) {
      const [caller] = await t.loggedIn(1);
      return t.call(code, { iam: caller.address, ...(await arrange(t, caller, method)) }, { method, session: caller.session });
    },
  };
}

/** A fresh user as the contact of a contact request, added first where the request needs one already there. */
const freshContact = (added: boolean): Arrange => async (t, owner) => {
  const contact = await t.user();
  if (added) t.expectResp(await t.call('Epost_contact_add', { iam: owner.address, contact: contact.address }, { session: owner.session }), 1, 'Q8', 'adding the contact to remove');
  return { contact: contact.address };
};

const METHOD_PROBES = [
  { id: 'PAME-WIRE-001', code: 'Epost_ping', understood: [1], send: (t, method) => t.call('Epost_ping', { iam: pingParts(t).iam }, { method }) },
  { id: 'PAME-WIRE-002', code: 'Epost_user_register', needs: ['registration'], understood: [1], send: (t, method) => t.call('Epost_user_register', { iam: t.address(t.uniqueName('r')), pass: randomBytes(12).toString('base64url') }, { method }) },
  {
    id: 'PAME-WIRE-003',
    code: 'Epost_session_open',
    understood: [1],
    async send(t, method) {
      const user = await t.user();
      const exchange = await t.call('Epost_session_open', { iam: user.address, pass: user.pass }, { method });
      const session = sessionKeyOf(exchange);
      // Not opened through t.login, so closed here rather than when the check ends.
      if (session !== undefined) await t.call('Epost_session_close', { iam: user.address }, { session });
      return exchange;
    },
  },
  callerProbe('PAME-WIRE-004', 'Epost_session_close'),
  callerProbe('PAME-WIRE-005', 'Epost_msg_send', async (t, _caller, method) => ({ to: [(await t.user()).address], body: `by ${method}` })),
  {
    id: 'PAME-WIRE-006',
    code: 'Epost_conv_new',
    understood: [1],
    async send(t, method) {
      const [sender, recipient] = await t.loggedIn(2);
      await sendMessage(t, sender, { to: [recipient.address], body: `for ${method}` }, { rule: 'Q5' });
      return t.call('Epost_conv_new', { iam: recipient.address }, { method, session: recipient.session });
    },
  },
  callerProbe('PAME-WIRE-007', 'Epost_conv_old', async (t, caller, method) => ({ conv: (await sendMessage(t, caller, { to: [(await t.user()).address], body: `for ${method}` })).conv })),
  callerProbe('PAME-WIRE-008', 'Epost_contact_add', freshContact(false)),
  callerProbe('PAME-WIRE-009', 'Epost_contact_block', freshContact(false)),
  callerProbe('PAME-WIRE-010', 'Epost_contact_remove', freshContact(true)),
  callerProbe('PAME-WIRE-011', 'Epost_contact_list'),
  // From a domain that cannot resolve (RFC 6761 .invalid), so step 2 fails at once and disturbs none of the
  // runner's peer Hives: -1 (no one to fetch from), or 0 where an operator maps the domain somewhere.
  { id: 'PAME-WIRE-012', code: 'Epost_msg_relay', understood: [0, -1], send: (t, method) => t.call('Epost_msg_relay', { iam: UNREACHABLE_SYSTEM, ticket: randomBytes(16).toString('hex') }, { method, timeoutMs: UNREACHABLE_RELAY_PROBE_MS }) },
  { id: 'PAME-WIRE-013', code: 'Epost_msg_fetch', understood: [0], send: (t, method) => t.call('Epost_msg_fetch', { iam: UNREACHABLE_SYSTEM, ticket: randomBytes(16).toString('hex') }, { method }) },
] as const satisfies readonly MethodProbe[];

function methodCheck<Id extends string>(probe: MethodProbe<Id>): Check<Id> {
  return {
    id: probe.id,
    title: `${probe.code} is served at the base URL by GET and by POST`,
    rules: ['T1', 'T3'],
    level: 'MUST',
    code: probe.code,
    ...(probe.needs ? { needs: probe.needs } : {}),
    async run(t) {
      for (const method of METHODS) t.expectResp(await probe.send(t, method), probe.understood, 'T3', `${probe.code} by ${method}`);
    },
  };
}

export const methodChecks = defineChecks([
  ...METHOD_PROBES.map(methodCheck),
  {
    id: 'PAME-WIRE-014',
    title: 'PUT, DELETE, PATCH and OPTIONS get -1.1',
    rules: ['T3'],
    level: 'MUST',
    code: 'Epost_ping',
    async run(t) {
      for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
        const parts = pingParts(t);
        const exchange = await t.send({ method, query: encodeQuery(parts), body: JSON.stringify(parts), headers: JSON_TYPE, code: 'Epost_ping' });
        t.expectResp(exchange, -1.1, 'T3', `an Epost_ping sent with ${method}`);
      }
    },
  },
  {
    id: 'PAME-WIRE-015',
    title: 'HEAD at the base URL never gets a 5xx',
    rules: ['T3', 'T7'],
    level: 'MUST',
    code: 'Epost_ping',
    async run(t) {
      const exchange = await t.send({ method: 'HEAD', query: encodeQuery(pingParts(t)), code: 'Epost_ping' });
      if (exchange.reply) t.check(exchange.reply.status < 500, 'T7', `HEAD got HTTP ${exchange.reply.status}: a Hive never answers 5xx`, exchange);
      else t.note(`HEAD got no reply (${exchange.failure?.message ?? 'unknown'}); T3 checks HEAD only for 5xx`);
    },
  },
]);
