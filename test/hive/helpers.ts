// Shared by the reference Hive's tests: start Hives, talk to them through
// HiveClient, and hold every reply to the transport rules that apply to all
// replies (T6, T7, T8) and to its code's reply schema.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { HiveClient, type CallOptions, type Exchange, type RawRequest } from '../../src/client/index.js';
import { createHive, type HiveOptions, type ReferenceHive, TEST_PASSWORD_COST } from '../../src/hive/index.js';
import type { RequestCode } from '../../src/protocol/codes.js';
import { validateReply } from '../../src/validator/index.js';

export const DOMAIN = 'hive.pame.test';
export const METHODS = ['GET', 'POST'] as const;
export type Method = (typeof METHODS)[number];
/** Good enough for every password rule (Q2: 8 to 256 characters). */
export const PASS = 'correct horse battery';

export type Reply = Record<string, unknown> & { resp: number };

/** Holds any reply to T6 (JSON object, application/json), T7 (200), T8 (no cookie) and, given a code, its reply schema. */
export function expectProtocolReply(exchange: Exchange, code?: string, status = 200): Reply {
  expect(exchange.failure, exchange.failure?.message).toBeUndefined();
  const reply = exchange.reply!;
  expect(reply.status).toBe(status);
  expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(reply.headers['set-cookie']).toBeUndefined();
  expect(reply.parseError).toBeUndefined();
  expect(typeof reply.json === 'object' && reply.json !== null && !Array.isArray(reply.json)).toBe(true);
  if (code) expect(validateReply(code, reply.json).violations).toEqual([]);
  return reply.json as Reply;
}

export class TestHive {
  readonly client: HiveClient;

  private constructor(
    readonly hive: ReferenceHive,
    readonly url: string,
    private readonly closeServer: () => Promise<void> = async () => undefined,
  ) {
    this.client = new HiveClient(url);
  }

  static async start(options: Partial<HiveOptions> = {}): Promise<TestHive> {
    const hive = createHive({ passwordCost: TEST_PASSWORD_COST, domain: DOMAIN, ...options });
    const { url } = await hive.listen();
    return new TestHive(hive, url);
  }

  /**
   * Hives that reach one another: each one's domain map names the others'
   * URLs (T2), plus `extraMap` (scripted peers). The servers listen before the
   * Hives are made, so every URL is known in time.
   */
  static async network(specs: readonly Partial<HiveOptions>[], extraMap: Record<string, string> = {}): Promise<TestHive[]> {
    const servers = await Promise.all(specs.map(() => openServer()));
    const map = { ...extraMap, ...Object.fromEntries(specs.map((spec, i) => [spec.domain ?? DOMAIN, servers[i]!.url])) };
    return specs.map((spec, i) => {
      const opened = servers[i]!;
      const hive = createHive({ passwordCost: TEST_PASSWORD_COST, domain: DOMAIN, ...spec, resolve: map });
      opened.server.on('request', hive.handler);
      return new TestHive(hive, opened.url, opened.close);
    });
  }

  get domain(): string {
    return this.hive.domain;
  }

  /** Sends a request and checks the reply against the rules every reply follows. */
  async call(code: RequestCode | string, parts: Record<string, unknown>, options: CallOptions = {}): Promise<Reply> {
    return expectProtocolReply(await this.client.call(code, parts, options), code);
  }

  async send(raw: RawRequest, status = 200): Promise<Reply> {
    return expectProtocolReply(await this.client.send(raw), undefined, status);
  }

  async register(name: string, pass = PASS): Promise<void> {
    expect(await this.call('Epost_user_register', { iam: name, pass })).toEqual({ resp: 1 });
  }

  async login(name: string, options: CallOptions = {}, pass = PASS): Promise<string> {
    const reply = await this.call('Epost_session_open', { iam: name, pass }, options);
    expect(reply.resp).toBe(1);
    return reply.session as string;
  }

  /** Registers and logs in a user; its calls go out with its session (and source address). */
  async user(name: string, options: CallOptions = {}): Promise<TestUser> {
    await this.register(name);
    return new TestUser(this, name, `${name}::${this.domain}`, await this.login(name, options), options);
  }

  async close(): Promise<void> {
    await this.client.close();
    await Promise.all([this.hive.close(), this.closeServer()]);
  }
}

export class TestUser {
  constructor(
    readonly hive: TestHive,
    readonly name: string,
    /** The full address. */
    readonly address: string,
    readonly session: string,
    private readonly options: CallOptions,
  ) {}

  call(code: RequestCode, parts: Record<string, unknown> = {}, options: CallOptions = {}): Promise<Reply> {
    return this.hive.call(code, { iam: this.name, ...parts }, { ...this.options, session: this.session, ...options });
  }

  send(to: string[], body = 'hello', extra: Record<string, unknown> = {}, options: CallOptions = {}): Promise<Reply> {
    return this.call('Epost_msg_send', { to, body, ...extra }, options);
  }

  /** The messages Epost_conv_new hands out now ([] for resp 0). */
  async takeNew(parts: Record<string, unknown> = {}): Promise<Reply[]> {
    const reply = await this.call('Epost_conv_new', parts);
    if (reply.resp === 0) return [];
    expect(reply.resp).toBe(1);
    return reply.msgs as Reply[];
  }
}

/** Polls until `probe` gives something other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`nothing after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A listening server whose request listener is set later: its URL is known before the Hive behind it is made. */
export async function openServer(): Promise<{ server: Server; url: string; close: () => Promise<void> }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { server, url, close };
}

/** One request a scripted peer received. */
export interface PeerRequest {
  readonly path: string;
  readonly method: string;
  readonly parts: Record<string, unknown>;
}

export type PeerAnswer = { status?: number; headers?: Record<string, string>; body: unknown } | 'hang';

/**
 * A scripted stand-in for other Hives, one per path (/alpha/, /beta/…): it
 * records what the Hive under test sends it and answers as told.
 */
export class ScriptedPeer {
  readonly requests: PeerRequest[] = [];
  answer: (request: PeerRequest) => PeerAnswer = () => ({ body: { resp: 0 } });

  private constructor(private readonly opened: Awaited<ReturnType<typeof openServer>>) {
    opened.server.on('request', (req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const [path = '', query = ''] = (req.url ?? '').split('?');
        const parts = req.method === 'POST' ? (JSON.parse(text) as Record<string, unknown>) : Object.fromEntries([...new URLSearchParams(query)].map(([k, v]) => [k, JSON.parse(v)]));
        const request = { path, method: req.method ?? '', parts };
        this.requests.push(request);
        const answer = this.answer(request);
        if (answer === 'hang') return;
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
        res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
      });
    });
  }

  static async start(): Promise<ScriptedPeer> {
    return new ScriptedPeer(await openServer());
  }

  /** The base URL of the peer Hive `name`. */
  baseUrl(name: string): string {
    return `${this.opened.url}${name}/`;
  }

  requestsTo(name: string, code?: string): PeerRequest[] {
    return this.requests.filter((r) => r.path === `/${name}/` && (code === undefined || r.parts.w === code));
  }

  close(): Promise<void> {
    return this.opened.close();
  }
}
