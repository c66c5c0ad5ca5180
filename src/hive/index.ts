import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { plainIp } from '../protocol/ip.js';
import { DEFAULT_PASSWORD_COST } from './accounts.js';
import type { Hive } from './context.js';
import { normalizeDomain, resolveBaseUrl, toDomainMap } from './domain-map.js';
import { handlerTable } from './handlers.js';
import { createListener, type RequestListener } from './listener.js';
import { DEFAULT_FETCH_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES, DEFAULT_RELAY_MARKER_MS, DEFAULT_SESSION_IDLE_MS, DEFAULT_SWEEP_INTERVAL_MS, MAX_PEER_REPLY_BYTES, type HiveOptions } from './options.js';
import { IpBudget, type IpLimits } from './ip-limits.js';
import { Outbound } from './outbound.js';
import { checkSession } from './sessions.js';
import { MemoryStore } from './store.js';
import { newSecret } from './tokens.js';

export interface ReferenceHive {
  /** The Hive's domain, lower-case. */
  readonly domain: string;
  /** The node request listener, for http.createServer or any server that takes one. */
  readonly handler: RequestListener;
  /** Serves the Hive at http://host:port/ (port 0: any free port). */
  listen(port?: number, host?: string): Promise<{ url: string; port: number }>;
  /** Stops serving (open connections included) and ends the requests to other Hives. */
  close(): Promise<void>;
}

function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive connections would otherwise hold close() open.
    server.closeAllConnections();
  });
}

/** A conformant PAME 0.2.1 Hive (profile §1–§8), held in memory unless given a store. */
export function createHive(options: HiveOptions): ReferenceHive {
  const domain = normalizeDomain(options.domain);
  if (!domain) throw new Error(`createHive: '${options.domain}' is not a domain name`);
  const tamper = options.tamper ?? {};
  const domainMap = toDomainMap(options.resolve);
  const clock = tamper.clock ?? Date.now;
  const outbound = new Outbound({ timeoutMs: options.fetchTimeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS, maxReplyBytes: MAX_PEER_REPLY_BYTES }, new Set(domainMap.values()));
  const budgets = Object.fromEntries(Object.entries(options.ipLimits ?? {}).map(([kind, limit]) => [kind, new IpBudget(limit)])) as Partial<Record<keyof IpLimits, IpBudget>>;
  const hive: Hive = {
    domain,
    store: options.store ?? new MemoryStore(),
    sessionIdleMs: options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS,
    passwordCost: options.passwordCost ?? DEFAULT_PASSWORD_COST,
    now: () => clock(),
    resolve: (other) => resolveBaseUrl(domainMap, other),
    newTicket: tamper.ticketFactory ?? newSecret,
    newSessionKey: tamper.sessionKeyFactory ?? newSecret,
    outbound,
    admit: (kind, clientIp) => budgets[kind]?.take(clientIp, clock()) ?? true,
  };
  // Whatever clients leave behind (sessions never closed, tickets never fetched) is forgotten in time; the timer never holds the process open.
  const limits = { sessionIdleMs: hive.sessionIdleMs, relayMarkerMs: options.relayMarkerMs ?? DEFAULT_RELAY_MARKER_MS };
  const sweep = (): void => {
    hive.store.sweep(hive.now(), limits);
    for (const budget of Object.values(budgets)) budget.sweep(hive.now());
  };
  const sweeper = setInterval(sweep, options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS).unref();
  const sessionTamper = tamper.session;
  const handler = createListener({
    hive,
    handlers: handlerTable(tamper.handlers),
    checkSession: sessionTamper ? (check) => sessionTamper(check, checkSession) : checkSession,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    trustedProxies: new Set((options.trustedProxies ?? []).map(plainIp)),
    tamper,
  });
  const server = createServer(handler);

  return {
    domain,
    handler,
    listen: (port = 0, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const bound = (server.address() as AddressInfo).port;
          resolve({ url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}/`, port: bound });
        });
      }),
    close: async () => {
      clearInterval(sweeper);
      await Promise.all([outbound.close(), closeServer(server)]);
    },
  };
}

// ---- Configuration ------------------------------------------------------------------
export type { HiveOptions, Tamper, HandlerTamper } from './options.js';
export { DEFAULT_IP_LIMITS, type IpLimits, type IpLimit } from './ip-limits.js';
export { DEFAULT_SESSION_IDLE_MS, DEFAULT_FETCH_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES, MAX_PEER_REPLY_BYTES } from './options.js';
export { parseDomainMap, toDomainMap, resolveBaseUrl, normalizeDomain, type DomainMap } from './domain-map.js';
export { MemoryStore, type HiveStore, type UserRecord, type PasswordCost, type SessionRecord, type Conversation, type ContactEntry, type TicketRecord, type StoredMessage } from './store.js';
export type { RequestListener } from './listener.js';

// ---- For known-bad fixtures: the pieces a tampered handler builds on ------------------
export { bare, type Hive, type HandlerContext, type Handler, type ReplyOf, type ReplyBody, type Parts } from './context.js';
export { HANDLERS } from './handlers.js';
export type { OutgoingReply } from './http.js';
export { checkSession, startSession, type SessionCheck, type SessionChecker } from './sessions.js';
export { isValidContact, DEFAULT_PASSWORD_COST, TEST_PASSWORD_COST } from './accounts.js';
export { hasBlocked } from './contacts.js';
export { deliver, recipientRefusal, type MessageContent } from './delivery.js';
export { readDraft, sendDraft, DEFAULT_PAGE, MAX_PAGE, type Draft } from './messages.js';
export { startRelays, issuedMessage, fetchTicket, acceptRelayed, receiveRelay, answerRelayWith, TICKET_LIFETIME_MS, type FetchOutcome } from './countersign.js';
