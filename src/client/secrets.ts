import { decodeComponent } from '../protocol/request-parts.js';
import type { Exchange, SentRequest } from './exchange.js';

/** The parts whose values are secrets: a password, a session key, a countersign ticket. */
export const SECRET_PARTS = ['pass', 'session', 'ticket'] as const;
export type SecretPart = (typeof SECRET_PARTS)[number];

/** What a report shows instead of a secret: a shell variable the reader of a curl line sets. */
export const PLACEHOLDERS: Readonly<Record<SecretPart, string>> = { pass: '$PAME_PASS', session: '$PAME_SESSION', ticket: '$PAME_TICKET' };

/**
 * Shorter values are redacted only where they stand as a JSON string ("…"):
 * a Hive that picks a short session key must not blank out ordinary words of
 * a report, and a short password stays hidden where the runner sent it.
 */
export const MIN_BARE_SECRET_CHARS = 8;

/** A check's secrets are few; past this, later ones are redacted by part name only. */
const MAX_SECRETS = 512;

/** "redacted" repeated and cut to the secret's length. */
function sameLength(value: string): string {
  return 'redacted'.repeat(Math.ceil(value.length / 8)).slice(0, value.length);
}

export interface SecretsOptions {
  /**
   * Each secret shown as "redacted…" cut to its own length instead of as $PAME_…: traffic that keeps its
   * lengths validates as the real traffic did (a HAR that `pame validate` reads back: a session key keeps its length).
   */
  readonly keepLength?: boolean;
  /** How many secrets are learned by value (default 512, enough for a check); a whole run's traffic needs them all. */
  readonly maxSecrets?: number;
}

function isSecretPart(name: string): name is SecretPart {
  return (SECRET_PARTS as readonly string[]).includes(name);
}

/** undefined for text with lone surrogates, which no URL carries. */
function encodedComponent(text: string): string | undefined {
  try {
    return encodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The secrets one check (or one recorded traffic) has seen, and the one way to
 * keep them out of a report: by part name in what the runner sent, and by value
 * wherever else they turn up (a reply, a header, a message).
 */
export class Secrets {
  private readonly values = new Map<string, SecretPart>();
  /** [form as it appears, what replaces it], longest first; rebuilt when a secret is added. */
  private forms: [string, string][] | undefined;
  /** The JSON string forms of short secrets, as values only (not followed by ':'), in one pattern. */
  private shortForms: RegExp | undefined;

  private readonly keepLength: boolean;
  private readonly maxSecrets: number;

  constructor(passwords: Iterable<string> = [], { keepLength = false, maxSecrets = MAX_SECRETS }: SecretsOptions = {}) {
    this.keepLength = keepLength;
    this.maxSecrets = maxSecrets;
    for (const pass of passwords) this.add(pass, 'pass');
  }

  add(value: unknown, part: SecretPart): void {
    if (typeof value !== 'string' || value.length === 0 || this.values.has(value) || this.values.size >= this.maxSecrets) return;
    this.values.set(value, part);
    this.forms = undefined;
  }

  /** Learns the secrets of an exchange: the secret parts it sent (body or query) and the secret members of its reply. */
  learn(exchange: Exchange): void {
    const { request, reply } = exchange;
    for (const [name, value] of queryParts(request.url)) {
      if (isSecretPart(name)) this.add(parsedJson(decodeComponent(value) ?? ''), name);
    }
    const sent = request.body !== undefined ? parsedJson(request.body) : undefined;
    if (isObject(sent)) for (const part of SECRET_PARTS) this.add(sent[part], part);
    if (isObject(reply?.json)) for (const part of SECRET_PARTS) this.add(reply.json[part], part);
  }

  /** What a report shows instead of `value`, a secret of the kind `part`. */
  private placeholder(value: string, part: SecretPart): string {
    return this.keepLength ? sameLength(value) : PLACEHOLDERS[part];
  }

  private replacements(): [string, string][] {
    if (!this.forms) {
      const forms = new Map<string, string>();
      for (const [value, part] of this.values) {
        const placeholder = this.placeholder(value, part);
        forms.set(encodeURIComponent(JSON.stringify(value)), `%22${placeholder}%22`);
        if (value.length >= MIN_BARE_SECRET_CHARS) {
          forms.set(JSON.stringify(value), `"${placeholder}"`);
          forms.set(value, placeholder);
          const encoded = encodedComponent(value);
          if (encoded !== undefined) forms.set(encoded, placeholder);
        }
      }
      this.forms = [...forms].sort(([a], [b]) => b.length - a.length);
      const short = [...this.values.keys()].filter((value) => value.length < MIN_BARE_SECRET_CHARS).map((value) => JSON.stringify(value).replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'));
      this.shortForms = short.length > 0 ? new RegExp(`(?:${short.join('|')})(?![ \\t\\r\\n]*:)`, 'g') : undefined;
    }
    return this.forms;
  }

  /** The text with every known secret replaced by its placeholder. */
  redactText(text: string): string {
    for (const [form, placeholder] of this.replacements()) if (text.includes(form)) text = text.split(form).join(placeholder);
    if (this.shortForms) text = text.replace(this.shortForms, (form) => {
      const value = JSON.parse(form) as string;
      return `"${this.placeholder(value, this.values.get(value)!)}"`;
    });
    return text;
  }

  /** The longest form a secret takes in text: a cut text keeps this much more, so no secret is cut in half unredacted. */
  get longestForm(): number {
    return this.replacements()[0]?.[0].length ?? 0;
  }

  /** A request as a report shows it: secret parts of the query and body, and any known secret anywhere, replaced. */
  redactRequest(request: SentRequest): SentRequest {
    const redacted: { -readonly [K in keyof SentRequest]: SentRequest[K] } = {
      ...request,
      url: this.redactText(redactQuery(request.url, (written, part) => {
        const value = parsedJson(decodeComponent(written) ?? '');
        return this.placeholder(typeof value === 'string' ? value : '', part);
      })),
      headers: Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, this.redactText(value)])),
    };
    if (request.body !== undefined) redacted.body = this.redactText(request.body);
    if (request.bodyBase64 !== undefined) redacted.bodyBase64 = this.redactBase64(request.bodyBase64);
    return redacted;
  }

  /** Bytes that are no UTF-8 text, as base64, with each secret looked for as its UTF-8 bytes and replaced. */
  redactBase64(base64: string): string {
    let bytes = Buffer.from(base64, 'base64').toString('latin1');
    for (const [form, placeholder] of this.replacements()) {
      const encoded = Buffer.from(form, 'utf8').toString('latin1');
      if (bytes.includes(encoded)) bytes = bytes.split(encoded).join(placeholder);
    }
    return Buffer.from(bytes, 'latin1').toString('base64');
  }
}

/** The name=value pairs of a URL's query, names decoded, values as written. */
function queryParts(url: string): [string, string][] {
  const start = url.indexOf('?');
  if (start < 0) return [];
  return url.slice(start + 1).split('#')[0]!.split('&').map((pair) => {
    const equals = pair.indexOf('=');
    const name = equals < 0 ? pair : pair.slice(0, equals);
    return [decodeComponent(name) ?? name, equals < 0 ? '' : pair.slice(equals + 1)];
  });
}

/** The URL with the value of every secret query part replaced by its placeholder (T4: a JSON string, percent-encoded); `placeholder` gets the value as written. */
function redactQuery(url: string, placeholder: (written: string, part: SecretPart) => string): string {
  const start = url.indexOf('?');
  if (start < 0) return url;
  const hash = url.indexOf('#', start);
  const end = hash < 0 ? url.length : hash;
  const pairs = url.slice(start + 1, end).split('&').map((pair) => {
    const equals = pair.indexOf('=');
    const name = decodeComponent(equals < 0 ? pair : pair.slice(0, equals));
    return name !== undefined && isSecretPart(name) && equals >= 0 ? `${pair.slice(0, equals)}=%22${placeholder(pair.slice(equals + 1), name)}%22` : pair;
  });
  return url.slice(0, start + 1) + pairs.join('&') + url.slice(end);
}
