// --record har: every exchange of a run (the checks' requests, the Hive's requests to the
// peer server, the peer Hives' step 2 back) as one HAR 1.2 file, secrets redacted.
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseReplyBytes } from '../client/client.js';
import type { Exchange } from '../client/exchange.js';
import type { RecordedTraffic } from '../client/recorder.js';
import { Secrets } from '../client/secrets.js';
import { packageVersion } from '../paths.js';
import { writeReportFile } from './files.js';

export const TRAFFIC_HAR = 'traffic.har';

interface HarHeader { readonly name: string; readonly value: string }

const utf8 = new TextDecoder('utf-8', { fatal: true });

function textOf(bytes: Buffer): { text: string; encoding?: 'base64' } {
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    return { text: bytes.toString('base64'), encoding: 'base64' };
  }
}

/** Headers as HAR lists them; `redact` for those not redacted already. */
function harHeaders(headers: Readonly<Record<string, string | readonly string[]>>, redact: (text: string) => string = (text) => text): HarHeader[] {
  return Object.entries(headers).flatMap(([name, value]) => (Array.isArray(value) ? value : [value as string]).map((each) => ({ name, value: redact(each) })));
}

/** The query of a URL (already redacted), decoded as HAR lists it. */
function queryString(url: string): HarHeader[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

/** A recorded exchange as the Exchange it was, its reply's bytes read back: what Secrets learns from. */
function asExchange(recorded: RecordedTraffic['exchange']): Exchange {
  const { reply, ...rest } = recorded;
  if (!reply) return rest;
  const bytes = Buffer.from(reply.bodyBase64, 'base64');
  return { ...rest, reply: { status: reply.status, headers: reply.headers, bytes, json: parseReplyBytes(bytes).json } };
}

/** A HAR 1.2 log (http://www.softwareishard.com/blog/har-12-spec/) of the recorded traffic, in the order it started. */
export function trafficHar(records: readonly RecordedTraffic[]): object {
  // Every secret of the run, learned from all of its traffic first, so a session key is redacted in the requests
  // before the reply that issued it too; each keeps its length, so the HAR validates as the traffic did.
  const secrets = new Secrets([], { keepLength: true, maxSecrets: Infinity });
  for (const { exchange } of records) secrets.learn(asExchange(exchange));
  const redact = (text: string): string => secrets.redactText(text);
  const ordered = [...records].sort((a, b) => a.exchange.startedAt.localeCompare(b.exchange.startedAt));
  const entries = ordered.map(({ route, exchange }) => {
    const { reply, failure } = exchange;
    const request = secrets.redactRequest(exchange.request);
    const body = request.body ?? request.bodyBase64;
    const replyBytes = reply ? Buffer.from(reply.bodyBase64, 'base64') : undefined;
    const replyBody = replyBytes ? textOf(replyBytes) : undefined;
    const replyText = replyBody ? (replyBody.encoding ? secrets.redactBase64(replyBody.text) : redact(replyBody.text)) : undefined;
    const contentType = (headers: Readonly<Record<string, string | readonly string[]>>): string => {
      const value = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
      return (Array.isArray(value) ? value[0] : (value as string | undefined)) ?? '';
    };
    return {
      startedDateTime: exchange.startedAt,
      time: exchange.durationMs,
      request: {
        method: request.method,
        url: request.url,
        httpVersion: 'HTTP/1.1',
        cookies: [],
        headers: harHeaders(request.headers),
        queryString: queryString(request.url),
        ...(body !== undefined ? { postData: { mimeType: contentType(request.headers), text: body, ...(request.body === undefined ? { encoding: 'base64' } : {}) } } : {}),
        headersSize: -1,
        bodySize: exchange.request.body !== undefined ? Buffer.byteLength(exchange.request.body) : exchange.request.bodyBase64 !== undefined ? Buffer.from(exchange.request.bodyBase64, 'base64').length : 0,
      },
      // Status 0: no response, as browsers record a request that failed.
      response: {
        status: reply?.status ?? 0,
        statusText: '',
        httpVersion: 'HTTP/1.1',
        cookies: [],
        headers: reply ? harHeaders(reply.headers, redact) : [],
        content: {
          size: replyBytes?.length ?? 0,
          mimeType: reply ? contentType(reply.headers) : '',
          ...(replyText !== undefined ? { text: replyText, ...(replyBody?.encoding ? { encoding: 'base64' } : {}) } : {}),
        },
        redirectURL: '',
        headersSize: -1,
        bodySize: replyBytes?.length ?? -1,
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
