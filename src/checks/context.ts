import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { CallOptions, RawRequest } from '../client/client.js';
import { headerValue, respOf, type Exchange } from '../client/exchange.js';
import { Secrets } from '../client/secrets.js';
import { CODES, isRequestCode, type OkReplyOf, type PartsOf, type RequestCode } from '../protocol/codes.js';
import { describeReplyCode } from '../protocol/reply-codes.js';
import type { RuleId } from '../protocol/rules.js';
import { validateReceivedReply } from '../validator/validate.js';
import type { Account, CheckEnvironment } from './environment.js';
import { describeExchange } from '../validator/evidence.js';
import { CheckFailure, CheckSkip, MAX_FINDINGS_PER_RULE, MAX_MESSAGE_CHARS, findingLevel, type Finding } from './outcome.js';
import { excerpt } from '../protocol/excerpt.js';
import type { CheckSpec } from './spec.js';
import { scanForPrivacy } from '../validator/privacy-scan.js';

/** An exchange whose request code the type system knows. */
export type CodedExchange<C extends string> = Exchange & { readonly code: C };

/** A user a check works with; `address` is written in full when the Hive's domain is known. */
export interface TestUser extends Account {
  readonly address: string;
}

/** A user with an open session. */
export type SessionUser = TestUser & { readonly session: string };

/** Exactly `N` items when `N` is a literal (`users(2)` destructures into two), an array when it is only a `number`. */
export type Tuple<T, N extends number, Built extends T[] = []> = number extends N ? T[] : Built['length'] extends N ? Built : Tuple<T, N, [...Built, T]>;

export interface PollOptions {
  readonly deadlineMs: number;
  readonly intervalMs?: number;
}

let userCounter = 0;

/**
 * What a check's steps work with: a recording client, users, and matchers that
 * end the check with the rule id, the request sent and the reply received.
 */
export class CheckContext {
  /** Every exchange of the check, in order: the evidence. */
  readonly exchanges: Exchange[] = [];
  /** Findings recorded without ending the check (scanner, soft matchers). */
  readonly findings: Finding[] = [];
  /** Findings past MAX_FINDINGS_PER_RULE, counted, not kept. */
  findingsLeftOut = 0;
  readonly notes: string[] = [];
  /** The secrets the check has seen, so its evidence and messages show none: the --user passwords, then what its exchanges carry. */
  readonly secrets: Secrets;
  private readonly sessions: { user: TestUser; session: string; localAddress: string | undefined }[] = [];
  private accountCursor = 0;
  private readonly started = Date.now();
  /** Steps under way (a poll holds the requests it makes) and the last one started: where a timeout found the check. */
  private readonly openSteps = new Set<{ what: string; at: number }>();
  private lastStep: { what: string; at: number } | undefined;

  constructor(
    readonly spec: CheckSpec,
    readonly env: CheckEnvironment,
    /** Aborts when the check's budget runs out: requests in flight are cancelled, polls stop. */
    readonly signal: AbortSignal = new AbortController().signal,
  ) {
    this.secrets = new Secrets(env.settings.accounts.map((account) => account.pass));
  }

  /** Where the check was: the latest step still under way, else the last one it started. */
  get step(): string {
    const open = [...this.openSteps].at(-1);
    const step = open ?? this.lastStep;
    if (!step) return 'it had started no request';
    const at = `started ${step.at - this.started} ms in`;
    return open ? `it was waiting on ${step.what}, ${at}` : `its last step, ${step.what} (${at}), had ended`;
  }

  private async stepping<T>(what: string, work: () => Promise<T>): Promise<T> {
    const step = { what, at: Date.now() };
    this.lastStep = step;
    this.openSteps.add(step);
    try {
      return await work();
    } finally {
      this.openSteps.delete(step);
    }
  }

  get domain(): string | undefined {
    return this.env.domain;
  }

  get settings() {
    return this.env.settings;
  }

  // ---- requests -------------------------------------------------------------

  /** Sends a protocol request and records it; every reply passes the privacy scanner. */
  call<C extends RequestCode>(code: C, parts: PartsOf<C>, options?: CallOptions): Promise<CodedExchange<C>>;
  call(code: string, parts: Readonly<Record<string, unknown>>, options?: CallOptions): Promise<CodedExchange<string>>;
  async call(code: string, parts: Readonly<Record<string, unknown>>, options?: CallOptions): Promise<CodedExchange<string>> {
    const exchange = await this.stepping(code, () => this.env.client.call(code, parts, { ...options, signal: this.signal }));
    return this.record(exchange) as CodedExchange<string>;
  }

  /** Sends a hand-written request (bad encodings, other methods) and records it. */
  async send(raw: RawRequest): Promise<Exchange> {
    const what = raw.code ?? `a hand-written ${raw.method || 'GET'} request`;
    return this.record(await this.stepping(what, () => this.env.client.send({ ...raw, signal: this.signal })));
  }

  private record(exchange: Exchange): Exchange {
    this.exchanges.push(exchange);
    this.secrets.learn(exchange);
    for (const finding of scanForPrivacy(exchange)) this.flag(finding.rule, finding.message, exchange);
    return exchange;
  }

  // ---- users ----------------------------------------------------------------

  /** A full address for a user of the Hive under test (A1); bare when its domain is unknown (A2). */
  address(name: string): string {
    return this.domain ? `${name}::${this.domain}` : name;
  }

  /** A user name no run has used: the run's prefix, a counter and randomness. */
  uniqueName(label = 'u'): string {
    return `${this.settings.userPrefix}${label}${(++userCounter).toString(36)}${randomBytes(3).toString('hex')}`;
  }

  /** Registers fresh users, or hands out the --user accounts when registration is closed. */
  async users<N extends number>(count: N): Promise<Tuple<TestUser, N>> {
    const users: TestUser[] = [];
    for (let i = 0; i < count; i++) users.push(await this.user());
    return users as Tuple<TestUser, N>;
  }

  async user(): Promise<TestUser> {
    const { accounts } = this.settings;
    if (accounts.length > 0) {
      if (this.accountCursor >= accounts.length) this.skip(`needs more accounts than the ${accounts.length} given with --user`);
      const account = accounts[this.accountCursor++]!;
      return { ...account, address: this.address(account.name) };
    }
    const name = this.uniqueName();
    const pass = randomBytes(12).toString('base64url');
    const exchange = await this.call('Epost_user_register', { iam: this.address(name), pass });
    this.expectResp(exchange, 1, 'Q2', 'registering a test user');
    return { name, pass, address: this.address(name) };
  }

  /** Opens a session for a user; the run closes it when the check ends. */
  async login(user: TestUser, options?: CallOptions): Promise<string> {
    const exchange = await this.call('Epost_session_open', { iam: user.address, pass: user.pass }, options);
    const session = this.expectOk(exchange, 'Q3').session;
    this.sessions.push({ user, session, localAddress: options?.localAddress });
    return session;
  }

  /** Registers and logs in fresh users. */
  async loggedIn<N extends number>(count: N): Promise<Tuple<SessionUser, N>> {
    const users: TestUser[] = await this.users(count);
    return (await Promise.all(users.map(async (user) => ({ ...user, session: await this.login(user) })))) as Tuple<SessionUser, N>;
  }

  /** Closes every session the check opened; failures here are not the check's business. */
  async closeSessions(): Promise<void> {
    // From the address that opened it: a key is good only from there (U2).
    await Promise.all(this.sessions.map(({ user, session, localAddress }) => this.env.client.call('Epost_session_close', { iam: user.address }, { session, localAddress })));
    this.sessions.length = 0;
  }

  // ---- matchers -------------------------------------------------------------

  /** Ends the check: the Hive broke `rule`. */
  fail(rule: RuleId, message: string, exchange?: Exchange): never {
    throw new CheckFailure(this.finding(rule, message, exchange));
  }

  /** Ends the check unless the condition holds. */
  check(condition: unknown, rule: RuleId, message: string, exchange?: Exchange): void {
    if (!condition) this.fail(rule, message, exchange);
  }

  /** Records a broken rule and lets the check go on. */
  flag(rule: RuleId, message: string, exchange?: Exchange): void {
    const finding = this.finding(rule, message, exchange);
    const sameRule = this.findings.filter((f) => f.rule === rule);
    if (sameRule.some((f) => f.message === finding.message)) return;
    if (sameRule.length >= MAX_FINDINGS_PER_RULE) {
      this.findingsLeftOut++;
      return;
    }
    this.findings.push(finding);
  }

  private finding(rule: RuleId, message: string, exchange: Exchange | undefined): Finding {
    return { rule, level: findingLevel(rule, this.spec.level), message: excerpt(message, MAX_MESSAGE_CHARS), ...(exchange ? { exchange } : {}) };
  }

  /** Ends the check as skipped: the arrangement cannot perform it. */
  skip(reason: string): never {
    throw new CheckSkip(excerpt(reason, MAX_MESSAGE_CHARS));
  }

  note(text: string): void {
    this.notes.push(excerpt(text, MAX_MESSAGE_CHARS));
  }

  /**
   * The reply as a JSON object whose resp is one of `expected`, or the check ends
   * naming `rule`. Transport failures, 5xx (T7), a wrong content type (T6), bodies
   * that are not JSON objects (T6) and replies outside the code's schema end it too.
   */
  expectResp(exchange: Exchange, expected: number | readonly number[], rule: RuleId, doing?: string): Record<string, unknown> {
    const wanted = typeof expected === 'number' ? [expected] : expected;
    const what = doing ? ` (${doing})` : '';
    const { reply, failure } = exchange;
    if (failure) this.fail(rule, `${failure.message}${what}`, exchange);
    if (!reply) this.fail(rule, `no reply${what}`, exchange);
    if (reply.status >= 300 && reply.status < 400) {
      this.fail('T7', `HTTP ${reply.status} redirect to ${headerValue(reply, 'location') ?? '(no Location)'}; redirects are not followed${what}`, exchange);
    }
    if (reply.status >= 500) this.fail('T7', `HTTP ${reply.status}: a Hive never answers 5xx${what}`, exchange);
    if (reply.json === undefined) this.fail('T6', `${reply.parseError ?? 'the reply is not JSON'}${what}`, exchange);
    const json = reply.json;
    if (json === null || typeof json !== 'object' || Array.isArray(json)) this.fail('T6', `the reply is not a JSON object${what}`, exchange);
    const contentType = headerValue(reply, 'content-type') ?? '';
    if (!/^application\/json\s*(;\s*charset=utf-8\s*)?$/i.test(contentType)) this.fail('T6', `Content-Type is ${JSON.stringify(contentType)}, not application/json${what}`, exchange);
    const resp = respOf(exchange);
    if (!wanted.includes(resp as number)) {
      this.fail(rule, `expected resp ${wanted.map(describeReplyCode).join(' or ')}, got ${describeReplyCode(resp)}${what}`, exchange);
    }
    if (resp as number >= 0 && reply.status !== 200) this.fail('T7', `HTTP ${reply.status} with resp ${String(resp)}: a reply with resp >= 0 is sent with 200${what}`, exchange);
    if (reply.status !== 200 && (reply.status < 400 || reply.status >= 500)) this.fail('T7', `HTTP ${reply.status}: negative replies come with 200 or 4xx${what}`, exchange);
    if (exchange.code !== undefined && isRequestCode(exchange.code)) {
      const violation = validateReceivedReply(exchange.code, reply).violations.find((v) => v.rule !== 'F3' && v.rule !== 'F2');
      if (violation) this.fail(violation.rule, `${exchange.code} reply ${violation.path || '/'} ${violation.message}${what}`, exchange);
    }
    return json as Record<string, unknown>;
  }

  /** The typed success reply of a code (resp 1, schema-valid), or the check ends. */
  expectOk<C extends RequestCode>(exchange: CodedExchange<C>, rule: RuleId = CODES[exchange.code].rule, doing?: string): OkReplyOf<C> {
    return this.expectResp(exchange, 1, rule, doing) as unknown as OkReplyOf<C>;
  }

  /**
   * Polls until `probe` returns a value other than undefined, or the deadline
   * passes (then undefined). Ends with the check's budget: an aborted signal throws.
   */
  async poll<T>(probe: () => Promise<T | undefined>, { deadlineMs, intervalMs = 50 }: PollOptions): Promise<T | undefined> {
    const deadline = Date.now() + deadlineMs;
    return this.stepping(`a poll of up to ${deadlineMs} ms`, async () => {
      for (;;) {
        this.signal.throwIfAborted();
        const value = await probe();
        if (value !== undefined) return value;
        if (Date.now() + intervalMs > deadline) return undefined;
        await this.sleep(intervalMs);
      }
    });
  }

  /** Waits, or throws as soon as the check's budget runs out. */
  sleep(ms: number): Promise<void> {
    return delay(ms, undefined, { signal: this.signal });
  }

  describe(exchange: Exchange): string {
    return describeExchange(exchange, this.secrets);
  }
}
