import { randomBytes } from 'node:crypto';
import { defineSuite } from '../src/checks/check.js';
import type { CheckContext } from '../src/checks/context.js';
import { respOf, type Exchange } from '../src/client/exchange.js';
import { PROTOCOL_VERSION } from '../src/protocol/codes.js';
import { domainOf, isFullAddress } from '../src/protocol/address.js';

/** The Hive's domain as known apart from what Epost_ping says, and where it was learnt. */
interface KnownDomain {
  readonly domain: string;
  readonly source: string;
}

/**
 * The Hive's domain from a source other than Epost_ping: the operator's
 * --domain; else the domain the Hive itself writes in a user's full address
 * (A1) when a user registered by a bare name (A2) sends a message to
 * themselves. Without --domain the runner learnt the domain from this very
 * ping, so comparing the ping with it would prove nothing.
 */
async function knownDomain(t: CheckContext): Promise<KnownDomain | string> {
  const given = t.settings.domain;
  if (given) return { domain: given.toLowerCase(), source: 'the domain given with --domain' };
  // A message to oneself changes what a shared --user account sees: only a user of this check's own will do.
  if (t.settings.accounts.length > 0) return 'registration is closed (--user), and no --domain was given';
  const name = t.uniqueName('p');
  const pass = randomBytes(12).toString('base64url');
  const register = await t.call('Epost_user_register', { iam: name, pass });
  if (respOf(register) !== 1) return `registering the bare name ${name} was answered ${JSON.stringify(respOf(register))}`;
  const open = await t.call('Epost_session_open', { iam: name, pass });
  const session = respOf(open) === 1 ? (open.reply?.json as { session?: unknown }).session : undefined;
  if (typeof session !== 'string') return `opening a session for the bare name ${name} was answered ${JSON.stringify(respOf(open))}`;
  const sent = await t.call('Epost_msg_send', { iam: name, to: [name], body: 'which domain is mine?' }, { session });
  const conv = respOf(sent) === 1 ? (sent.reply?.json as { conv?: unknown }).conv : undefined;
  if (typeof conv !== 'string') return `${name} sending themselves a message was answered ${JSON.stringify(respOf(sent))}`;
  const read = await t.call('Epost_conv_old', { iam: name, conv }, { session });
  const from = respOf(read) === 1 ? (read.reply?.json as { msgs?: { from?: unknown }[] }).msgs?.[0]?.from : undefined;
  await t.call('Epost_session_close', { iam: name }, { session });
  if (!isFullAddress(from)) return `reading the message back gave no sender written in full: ${JSON.stringify(from)}`;
  return { domain: domainOf(from), source: `the domain the Hive writes in the address of its user ${name} (${from})` };
}

export const pingSuite = defineSuite('ping', 'Epost_ping', [
  {
    id: 'PAME-PING-001',
    title: "Epost_ping answers resp 1, version 0.2.1 and the Hive's domain (as --domain gives it, else as the Hive writes its users' addresses), by GET and by POST",
    rules: ['Q1', 'T3'],
    level: 'MUST',
    code: 'Epost_ping',
    async run(t) {
      const named: { hive: unknown; exchange: Exchange }[] = [];
      for (const method of ['GET', 'POST'] as const) {
        const exchange = await t.call('Epost_ping', { iam: t.address(t.uniqueName('p')) }, { method });
        const reply = t.expectOk(exchange, method === 'GET' ? 'T3' : 'Q1');
        t.check(reply.version === PROTOCOL_VERSION, 'Q1', `version is ${JSON.stringify(reply.version)}, not ${PROTOCOL_VERSION}`, exchange);
        named.push({ hive: reply.hive, exchange });
      }
      const known = await knownDomain(t);
      if (typeof known === 'string') {
        t.note(`the domain Epost_ping names is not compared with another source: ${known}`);
        return;
      }
      for (const { hive, exchange } of named) t.check(hive === known.domain, 'Q1', `hive is ${JSON.stringify(hive)}, not ${known.domain}, ${known.source}`, exchange);
    },
  },
]);
