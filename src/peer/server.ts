import { setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { PeerSettings } from './domains.js';
import { HiveClient, type ClientOptions } from '../client/client.js';
import { respOf, type Exchange } from '../client/exchange.js';
import { isTicket, MAX_TICKET_CHARS } from '../protocol/ticket.js';
import { PROTOCOL_VERSION } from '../protocol/codes.js';
import { systemAddress } from '../protocol/address.js';
import type { RuleId } from '../protocol/rules.js';
import { answerJson, deny, type FetchAnswer } from './answers.js';
import { decodeParts, readBody } from './decode.js';
import { DEFAULT_PEER_DOMAINS, PEER_NAMES, peerBaseUrl, peerHiveUrl, peerMap, type PeerName } from './domains.js';
import { ticketOf, type PeerRequest, type RelayRecord } from './record.js';
import { PeerScript } from './script.js';

export interface PeerServerOptions {
  /** Where to listen, and the URL the Hive under test reaches the listener at. */
  readonly peer: PeerSettings;
  /** The Hive under test: the peer Hives fetch the tickets it relays to them from here. */
  readonly hiveUrl: string;
  /** The Hive's domain: its psychocat is the only identity the peer expects. Undefined when unknown. */
  readonly hiveDomain: string | undefined;
  /** How the peer's own requests to the Hive are bounded. */
  readonly client?: Pick<ClientOptions, 'timeoutMs' | 'maxReplyBytes' | 'insecure' | 'fronting' | 'onExchange'>;
  /** Called with each request the Hive sent and the answer it got, once answered (or held), for --record. */
  readonly onExchange?: (exchange: Exchange) => void;
  /** Request bodies above this are refused. A step 2 request is tiny. */
  readonly maxBodyBytes?: number;
  /** Lower bounds for tests; a run keeps the defaults. */
  readonly limits?: Partial<PeerLimits>;
}

export const DEFAULT_PEER_MAX_BODY_BYTES = 64 * 1024;

/**
 * What the peer keeps of a run, whatever the Hive sends: the request log is
 * cut from its oldest end past these, a judged fetch keeps only the start of
 * its reply, and relays past the budget are refused unfetched.
 */
export const PEER_LIMITS = { logEntries: 4096, logBytes: 16 * 1024 * 1024, keptReplyBytes: 4096, relays: 2048 };
export type PeerLimits = typeof PEER_LIMITS;

/** A fetch once its recipients are read: the reply's first bytes stay for messages, the rest (and the parsed value) goes. */
function judged(fetch: Exchange, kept: number): Exchange {
  const reply = fetch.reply;
  if (!reply || reply.bytes.length <= kept) return fetch;
  const bytes = Buffer.from(reply.bytes.subarray(0, kept));
  return { ...fetch, reply: { status: reply.status, headers: reply.headers, bytes, parseError: `the peer kept only the first ${kept} of ${reply.bytes.length} bytes once the reply was judged` } };
}

const BAD_REQUEST = answerJson({ resp: -1.1 });

/**
 * The runner's peer server: one node:http listener that plays alpha, beta and
 * gamma.pame.test on /alpha/, /beta/ and /gamma/ (§10). Each peer Hive
 * answers Epost_ping, answers Epost_msg_fetch for the tickets the checks
 * issued it exactly as scripted, and takes Epost_msg_relay from the Hive
 * under test by fetching the ticket back, like any Hive. Every request is
 * recorded; anything no conformant Hive would send is marked unexpected with
 * the rule it breaks.
 */
export class PeerServer {
  readonly script = new PeerScript();
  private log: PeerRequest[] = [];
  private relayLog: RelayRecord[] = [];
  /** Requests received in all, kept or not. */
  private count = 0;
  /** Bytes (target and body) of the requests in the log. */
  private logBytes = 0;
  private readonly sizes = new WeakMap<PeerRequest, number>();
  private relaysTaken = 0;
  private readonly limits: PeerLimits;
  private readonly client: HiveClient;
  private readonly closing = new AbortController();
  /** The requests being served: close() waits for them, so each is recorded (onExchange) before close() returns. */
  private readonly serving = new Set<Promise<void>>();
  private readonly maxBodyBytes: number;
  /** The request paths of each peer Hive: its public path, and the bare /name/ a path-stripping proxy leaves. */
  private readonly paths: ReadonlyMap<string, PeerName>;
  /**
   * The peer Hives by the host of their default base URL (T2: https://epost.D/):
   * behind a TLS front that keeps the path, a request to / is told apart by its Host.
   */
  private readonly hosts: ReadonlyMap<string, PeerName>;

  private constructor(
    private readonly server: Server,
    readonly options: PeerServerOptions,
    /** Where the listener is bound. */
    readonly bound: { readonly host: string; readonly port: number },
  ) {
    this.client = new HiveClient(options.hiveUrl, { ...options.client, concurrency: 64 });
    // Every step-2 fetch in flight listens for the close; a scan's Hives relay many at once.
    setMaxListeners(0, this.closing.signal);
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_PEER_MAX_BODY_BYTES;
    this.limits = { ...PEER_LIMITS, ...options.limits };
    const publicPath = new URL(peerBaseUrl(this.settings)).pathname;
    this.paths = new Map(PEER_NAMES.flatMap((name) => [[`/${name}/`, name] as const, [`${publicPath}${name}/`, name] as const]));
    this.hosts = new Map(PEER_NAMES.map((name) => [`epost.${this.domainOf(name)}`, name] as const));
  }

  /** Starts listening on options.peer.host and .port (0: a free port, then reflected in the map). */
  static async start(options: PeerServerOptions): Promise<PeerServer> {
    let peer: PeerServer | undefined;
    const server = createServer((req, res) => peer?.accept(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.peer.port, options.peer.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address() as AddressInfo;
    peer = new PeerServer(server, options, { host: address.address, port: address.port });
    return peer;
  }

  /** The peer settings as bound: the port is the real one when 0 was asked for. */
  get settings(): PeerSettings {
    return { ...this.options.peer, port: this.bound.port };
  }

  /** The base URL the Hive under test must resolve a peer Hive's domain to (T2). */
  baseUrl(name: PeerName): string {
    return peerHiveUrl(this.settings, name);
  }

  /** A URL on the peer listener that is no peer Hive's base URL (a redirect target, a forged callback). */
  elsewhere(label: string): string {
    return `${peerBaseUrl(this.settings)}${label}/`;
  }

  /** The domain a peer Hive serves: alpha, beta and gamma.pame.test, or the --peer-domains. */
  domainOf(name: PeerName): string {
    return (this.options.peer.domains ?? DEFAULT_PEER_DOMAINS)[name];
  }

  /** The domain map the Hive under test needs. */
  get map(): string {
    return peerMap(this.settings);
  }

  /** The requests received so far, in arrival order: the latest PEER_LIMITS.logEntries of them, within PEER_LIMITS.logBytes. */
  get requests(): readonly PeerRequest[] {
    return this.log;
  }

  /** How many requests arrived in all, including those the log no longer holds. */
  get received(): number {
    return this.count;
  }

  /** The relays the Hive under test sent a peer Hive, with the peer's fetch back (as bounded as the log). */
  get relays(): readonly RelayRecord[] {
    return this.relayLog;
  }

  /** The Hive's psychocat, lower-case: the iam every request of the Hive must carry (A3). */
  get hiveSystemAddress(): string | undefined {
    return this.options.hiveDomain === undefined ? undefined : systemAddress(this.options.hiveDomain);
  }

  /**
   * Stops listening and ends every connection, then waits for the requests
   * still being served: the abort cuts their scripted delays and step 2
   * fetches short, and each is handed to onExchange before close() returns,
   * so a recording closed after the peer holds the run's last exchanges.
   */
  async close(): Promise<void> {
    this.closing.abort('the peer server closed at the end of the run');
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      // Held (hanging) requests and keep-alive connections would hold close() open.
      this.server.closeAllConnections();
    });
    await Promise.all(this.serving);
    await this.client.close();
  }

  // ---- serving -------------------------------------------------------------

  private accept(req: IncomingMessage, res: ServerResponse): void {
    const served = this.serve(req, res).catch(() => void res.destroy());
    this.serving.add(served);
    void served.finally(() => this.serving.delete(served));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.on('error', () => undefined);
    const receivedAt = Date.now();
    const source = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    const target = req.url ?? '';
    const path = target.split('?')[0] ?? '';
    const body = req.method === 'GET' ? Buffer.alloc(0) : await readBody(req, this.maxBodyBytes);
    const decoded = body === undefined ? { undecodable: `the body is over the peer's ${this.maxBodyBytes}-byte cap, or ended early` } : decodeParts(req, body);
    const parts = 'parts' in decoded ? decoded.parts : undefined;
    const request: PeerRequest = {
      seq: this.count++,
      receivedAt,
      source,
      method: req.method ?? '',
      target,
      path,
      peer: this.paths.get(path) ?? (path === '/' ? this.hosts.get((req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase()) : undefined),
      code: typeof parts?.w === 'string' ? parts.w : undefined,
      parts,
      undecodable: 'undecodable' in decoded ? decoded.undecodable : undefined,
      scenario: undefined,
      unexpected: undefined,
      unattributed: undefined,
      outcome: undefined,
    };
    this.remember(request, target.length + (body?.length ?? 0));
    res.on('finish', () => (request.outcome = { status: res.statusCode, at: Date.now() }));
    res.on('close', () => (request.outcome ??= { closed: true, at: Date.now() }));
    const answer = body === undefined ? this.unexpected(request, 'Q10', request.undecodable!, BAD_REQUEST, 413) : await this.route(request);
    await this.write(res, answer, body !== undefined);
    this.options.onExchange?.(this.exchangeOf(req, request, body, answer));
  }

  /** A request of the Hive and the peer's answer as an Exchange, the form every recorded exchange takes. */
  private exchangeOf(req: IncomingMessage, request: PeerRequest, body: Buffer | undefined, answer: FetchAnswer): Exchange {
    const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]));
    const sent = { method: request.method, url: `http://${this.bound.host}:${this.bound.port}${request.target}`, headers, ...(body && body.length > 0 ? { body: body.toString('utf8') } : {}) };
    const base = { ...(request.code ? { code: request.code } : {}), request: sent, startedAt: new Date(request.receivedAt).toISOString(), durationMs: Date.now() - request.receivedAt };
    if (answer.kind !== 'reply') return { ...base, failure: { kind: 'timeout', message: 'the peer server held the request unanswered, as the check scripted' } };
    return { ...base, reply: { status: answer.status, headers: { ...answer.headers }, bytes: Buffer.from(answer.body) } };
  }

  /** Logs a request, dropping the oldest (a quarter at a time, so each drop is paid for by the pushes before it) past the limits. */
  private remember(request: PeerRequest, bytes: number): void {
    this.log.push(request);
    this.sizes.set(request, bytes);
    this.logBytes += bytes;
    if (this.log.length <= this.limits.logEntries && this.logBytes <= this.limits.logBytes) return;
    const dropped = this.log.splice(0, Math.max(1, this.log.length >> 2));
    for (const old of dropped) this.logBytes -= this.sizes.get(old) ?? 0;
    const oldest = this.log[0]?.seq ?? Infinity;
    this.relayLog = this.relayLog.filter((relay) => relay.request.seq >= oldest);
  }

  /** Marks the request unexpected and gives the answer a peer Hive would give it. */
  private unexpected(request: PeerRequest, rule: RuleId, reason: string, answer: FetchAnswer = BAD_REQUEST, status?: number): FetchAnswer {
    request.unexpected = { rule, reason };
    return status !== undefined && answer.kind === 'reply' ? { ...answer, status } : answer;
  }

  private async route(request: PeerRequest): Promise<FetchAnswer> {
    const ticket = ticketOf(request);
    const issued = ticket === undefined ? undefined : this.script.ticket(ticket);
    request.scenario = issued?.scenario;
    const peer = request.peer;
    if (peer === undefined) return this.unexpected(request, 'C2', `${request.path} is the base path of no peer Hive (${PEER_NAMES.map((name) => `/${name}/`).join(' ')})`, BAD_REQUEST, 404);
    if (!request.parts) return this.unexpected(request, 'T4', request.undecodable ?? 'no parts');
    const expectedIam = this.hiveSystemAddress;
    const iam = request.parts.iam;
    const iamIsTheHive = expectedIam === undefined || (typeof iam === 'string' && iam.toLowerCase() === expectedIam);
    switch (request.code) {
      case 'Epost_ping':
        return answerJson({ resp: 1, hive: this.domainOf(peer), version: PROTOCOL_VERSION });
      case 'Epost_msg_fetch':
        if (!iamIsTheHive) return this.unexpected(request, 'A3', `step 2 carries iam ${JSON.stringify(iam)}, not ${expectedIam}`, deny());
        if (ticket === undefined) return this.unexpected(request, 'Q10', 'step 2 carries no ticket string');
        if (!issued) {
          request.unattributed = `no scenario issued this ticket: step 2 of a relay another check sent as ${this.domainOf(peer)}, or a ticket the Hive altered`;
          return deny();
        }
        return issued.answers[peer] ?? this.unexpected(request, 'C2', `${this.domainOf(peer)} did not issue this ticket (${Object.keys(issued.answers).map((name) => this.domainOf(name as PeerName)).join(', ')} did): step 2 went to the wrong Hive`, deny());
      case 'Epost_msg_relay':
        if (!isTicket(ticket)) return this.unexpected(request, 'Q10', `a relay carries no ticket of 1 to ${MAX_TICKET_CHARS} characters`);
        // Taken all the same, so the check awaiting the relay sees what was wrong with it.
        if (!iamIsTheHive) this.unexpected(request, 'A3', `a relay carries iam ${JSON.stringify(iam)}, not ${expectedIam}`);
        return this.takeRelay(request, peer, ticket);
      default:
        return this.unexpected(request, 'C2', `${JSON.stringify(request.code)} is not a request one Hive sends another (ping, relay, fetch)`);
    }
  }

  /** Step 2 of a relay from the Hive, done the way any Hive would; the relay gets 1 when a scenario has that recipient. */
  private async takeRelay(request: PeerRequest, peer: PeerName, ticket: string): Promise<FetchAnswer> {
    if (++this.relaysTaken > this.limits.relays) {
      request.unattributed = `the peer's budget of ${this.limits.relays} relays for a run is spent: refused without fetching`;
      return deny();
    }
    const fetch = await this.client.call('Epost_msg_fetch', { iam: systemAddress(this.domainOf(peer)), ticket }, { signal: this.closing.signal });
    const to = respOf(fetch) === 1 ? (fetch.reply?.json as { msg?: { to?: unknown } }).msg?.to : undefined;
    const recipients = Array.isArray(to) ? to.filter((a): a is string => typeof a === 'string').map((a) => a.toLowerCase()) : [];
    const local = recipients.filter((address) => address.endsWith(`::${this.domainOf(peer)}`));
    request.scenario = this.script.scenarioOfRecipients(local);
    this.relayLog.push({ request, peer, ticket, fetch: judged(fetch, this.limits.keptReplyBytes), recipients: local });
    if (respOf(fetch) !== 1) return deny();
    return answerJson({ resp: request.scenario === undefined ? -3.3 : 1 });
  }

  private async write(res: ServerResponse, answer: FetchAnswer, bodyRead: boolean): Promise<void> {
    if (answer.kind === 'hang') return;
    if (answer.delayMs) {
      try {
        await delay(answer.delayMs, undefined, { signal: this.closing.signal });
      } catch {
        return;
      }
    }
    if (res.destroyed) return;
    res.writeHead(answer.status, { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)), ...(bodyRead ? {} : { connection: 'close' }) });
    res.end(answer.body);
  }
}
