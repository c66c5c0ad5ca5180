// --record har: every exchange of a run (the checks' requests, the Hive's requests to the
// peer server, the peer Hives' step 2 back) as one HAR 1.2 file, secrets redacted.
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordedTraffic } from '../client/recorder.js';
import { packageVersion } from '../paths.js';
import { writeReportFile } from './files.js';

export const TRAFFIC_HAR = 'traffic.har';

/** The parts whose values are secrets: a password, a session key, a countersign ticket. */
const SECRET_PARTS = ['pass', 'session', 'ticket'];
/**
 * What a secret becomes: "redacted" repeated to the secret's length, so the
 * recorded traffic validates as the real one did (a session key keeps its length).
 */
const shown = (value: string): string => 'redacted'.repeat(Math.ceil(value.length / 8)).slice(0, value.length);

interface HarHeader { readonly name: string; readonly value: string }

const utf8 = new TextDecoder('utf-8', { fatal: true });

function textOf(bytes: Buffer): { text: string; encoding?: 'base64' } {
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    return { text: bytes.toString('base64'), encoding: 'base64' };
  }
}

function parsed(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

/**
 * The secret values a run's traffic holds, learned from all of it first, so a
 * session key is redacted in the requests before the reply that issued it too.
 */
class SecretValues {
  private readonly values = new Set<string>();

  learn(parts: unknown): void {
    if (parts === null || typeof parts !== 'object' || Array.isArray(parts)) return;
    for (const name of SECRET_PARTS) {
      const value = (parts as Record<string, unknown>)[name];
      if (typeof value === 'string' && value.length > 0) this.values.add(value);
    }
  }

  learnQuery(url: string): void {
    try {
      const parts: Record<string, unknown> = {};
      for (const [name, value] of new URL(url).searchParams) parts[name] = parsed(value);
      this.learn(parts);
    } catch {
      // not a URL: nothing to learn
    }
  }

  /** Every JSON string form of a secret, and its URL-encoded form, replaced; longest first so none is cut in half. */
  redact(text: string): string {
    const forms = [...this.values].flatMap((value): [string, string][] => {
      const json = JSON.stringify(value);
      const replacement = JSON.stringify(shown(value));
      let encoded: string | undefined;
      try {
        encoded = encodeURIComponent(json);
      } catch {
        encoded = undefined; // lone surrogates: no URL form
      }
      return [[json, replacement], ...(encoded ? [[encoded, encodeURIComponent(replacement)] as [string, string]] : [])];
    }).sort(([a], [b]) => b.length - a.length);
    for (const [form, shown] of forms) if (text.includes(form)) text = text.split(form).join(shown);
    return text;
  }
}

function harHeaders(headers: Readonly<Record<string, string | readonly string[]>>, redact: (text: string) => string): HarHeader[] {
  return Object.entries(headers).flatMap(([name, value]) => (Array.isArray(value) ? value : [value as string]).map((each) => ({ name, value: redact(each) })));
}

function queryString(url: string, redact: (text: string) => string): HarHeader[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value: redact(value) }));
  } catch {
    return [];
  }
}

/** A HAR 1.2 log (http://www.softwareishard.com/blog/har-12-spec/) of the recorded traffic, in the order it started. */
export function trafficHar(records: readonly RecordedTraffic[]): object {
  const secrets = new SecretValues();
  for (const { exchange } of records) {
    secrets.learnQuery(exchange.request.url);
    secrets.learn(parsed(exchange.request.body));
    if (exchange.reply) secrets.learn(parsed(textOf(Buffer.from(exchange.reply.bodyBase64, 'base64')).text));
  }
  const redact = (text: string): string => secrets.redact(text);
  const ordered = [...records].sort((a, b) => a.exchange.startedAt.localeCompare(b.exchange.startedAt));
  const entries = ordered.map(({ route, exchange }) => {
    const { request, reply, failure } = exchange;
    const body = request.body ?? (request.bodyBase64 !== undefined ? request.bodyBase64 : undefined);
    const replyBody = reply ? textOf(Buffer.from(reply.bodyBase64, 'base64')) : undefined;
    const replyText = replyBody ? (replyBody.encoding ? replyBody.text : redact(replyBody.text)) : undefined;
    const contentType = (headers: Readonly<Record<string, string | readonly string[]>>): string => {
      const value = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
      return (Array.isArray(value) ? value[0] : (value as string | undefined)) ?? '';
    };
    return {
      startedDateTime: exchange.startedAt,
      time: exchange.durationMs,
      request: {
        method: request.method,
        url: redact(request.url),
        httpVersion: 'HTTP/1.1',
        cookies: [],
        headers: harHeaders(request.headers, redact),
        queryString: queryString(request.url, redact),
        ...(body !== undefined
          ? { postData: { mimeType: contentType(request.headers), text: request.body !== undefined ? redact(body) : body, ...(request.body === undefined ? { encoding: 'base64' } : {}) } }
          : {}),
        headersSize: -1,
        bodySize: request.body !== undefined ? Buffer.byteLength(request.body) : request.bodyBase64 !== undefined ? Buffer.from(request.bodyBase64, 'base64').length : 0,
      },
      // Status 0: no response, as browsers record a request that failed.
      response: {
        status: reply?.status ?? 0,
        statusText: '',
        httpVersion: 'HTTP/1.1',
        cookies: [],
        headers: reply ? harHeaders(reply.headers, redact) : [],
        content: {
          size: reply ? Buffer.from(reply.bodyBase64, 'base64').length : 0,
          mimeType: reply ? contentType(reply.headers) : '',
          ...(replyText !== undefined ? { text: replyText, ...(replyBody?.encoding ? { encoding: 'base64' } : {}) } : {}),
        },
        redirectURL: '',
        headersSize: -1,
        bodySize: reply ? Buffer.from(reply.bodyBase64, 'base64').length : -1,
        ...(failure ? { _error: redact(`${failure.kind}: ${failure.message}`) } : {}),
      },
      cache: {},
      timings: { send: 0, wait: exchange.durationMs, receive: 0 },
      comment: route,
    };
  });
  return { log: { version: '1.2', creator: { name: 'pame-conformance', version: packageVersion }, entries } };
}

/** Joins the JSON Lines files the run's environments wrote in `dir` into one HAR in the report directory, and removes them. */
export async function writeTrafficHar(dir: string, reportDir: string): Promise<string> {
  const records: RecordedTraffic[] = [];
  for (const name of (await readdir(dir).catch(() => [])).filter((file) => file.endsWith('.jsonl')).sort()) {
    for (const line of (await readFile(join(dir, name), 'utf8')).split('\n')) if (line.trim()) records.push(JSON.parse(line) as RecordedTraffic);
  }
  const written = await writeReportFile(reportDir, TRAFFIC_HAR, JSON.stringify(trafficHar(records), null, 1) + '\n');
  await rm(dir, { recursive: true, force: true });
  return written;
}
