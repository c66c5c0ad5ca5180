// Steps that several families take with a user's account: register it, list its
// contacts, close its sessions. Those that judge end the check naming the caller's rule.
import type { CheckContext, SessionUser, TestUser } from './context.js';
import type { CallOptions } from '../client/client.js';
import type { Exchange } from '../client/exchange.js';
import type { ContactListOk } from '../generated/schemas.js';
import type { RuleId } from '../protocol/rules.js';
import { judged, type Judged } from './judged.js';

export function register(t: CheckContext, iam: string, pass: unknown, options?: CallOptions): Promise<Exchange> {
  return t.call('Epost_user_register', { iam, ...(pass === undefined ? {} : { pass }) }, options);
}

export function closeKeys(t: CheckContext, opened: readonly { user: TestUser; key: string }[]): Promise<unknown> {
  return Promise.all(opened.map(({ user, key }) => t.call('Epost_session_close', { iam: user.address }, { session: key })));
}

export async function contactsOf(t: CheckContext, user: SessionUser, extra: Record<string, unknown> = {}, rule: RuleId = 'Q9'): Promise<Judged<ContactListOk['contacts']>> {
  const exchange = await t.call('Epost_contact_list', { iam: user.address, ...extra }, { session: user.session });
  return judged((t.expectResp(exchange, 1, rule, `listing the contacts of ${user.address}`) as unknown as ContactListOk).contacts, exchange);
}
