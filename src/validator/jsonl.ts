import type { Exchange } from '../client/exchange.js';
import type { Evidence, ExchangeLogLine } from '../generated/schemas.js';
import { bodyFields, recordedExchange, type Recording, type SourcedExchange } from './recorded.js';
import { schemaValidator } from './schemas.js';

/** One exchange as a line of the JSONL exchange log (schemas/run/exchange-log.json), bodies whole. */
export function toExchangeLogLine(exchange: Exchange): ExchangeLogLine {
  const { reply, failure } = exchange;
  return {
    startedAt: exchange.startedAt,
    durationMs: exchange.durationMs,
    ...(exchange.code !== undefined ? { code: exchange.code } : {}),
    request: { ...exchange.request, headers: { ...exchange.request.headers } },
    ...(reply ? { reply: { status: reply.status, headers: { ...reply.headers }, ...bodyFields(reply.bytes) } } : {}),
    ...(failure ? { failure: { ...failure } } : {}),
  };
}

export function formatExchangeLogLine(exchange: Exchange): string {
  return JSON.stringify(toExchangeLogLine(exchange)) + '\n';
}

function requestBody(request: { body?: string; bodyBase64?: string }): Buffer | undefined {
  if (request.body !== undefined) return Buffer.from(request.body, 'utf8');
  return request.bodyBase64 !== undefined ? Buffer.from(request.bodyBase64, 'base64') : undefined;
}

function fromLogLine(line: ExchangeLogLine): Exchange {
  const { request, reply } = line;
  return recordedExchange({
    method: request.method,
    url: request.url,
    headers: request.headers,
    ...(requestBody(request) ? { body: requestBody(request)! } : {}),
    ...(request.localAddress ? { sourceAddress: request.localAddress } : {}),
    ...(reply ? { reply: { status: reply.status, headers: reply.headers, body: requestBody(reply) ?? Buffer.alloc(0) } } : {}),
    ...(line.failure ? { failure: line.failure } : {}),
    startedAt: line.startedAt,
    durationMs: line.durationMs,
  });
}

/** A line of a run's exchanges.jsonl holds the evidence of a check, its reply body perhaps cut. */
function fromEvidence(evidence: Evidence): { exchange: Exchange; cut: boolean } {
  const { request, reply } = evidence;
  const cut = reply?.truncated === true || (request.body?.endsWith(' characters)') ?? false);
  const exchange = recordedExchange({
    method: request.method,
    url: request.url,
    headers: request.headers,
    ...(requestBody(request) ? { body: requestBody(request)! } : {}),
    // A cut reply would read as broken JSON: it is left out, and the request alone is validated.
    ...(reply && !cut ? { reply: { status: reply.status, headers: reply.headers, body: Buffer.from(reply.body, 'utf8') } } : {}),
    ...(evidence.failure ? { failure: evidence.failure } : {}),
    startedAt: '',
    durationMs: evidence.durationMs ?? 0,
  });
  return { exchange, cut };
}

/**
 * Reads a JSONL exchange log: lines `pame proxy --log` writes, and also the
 * lines of a run's exchanges.jsonl ({check, evidence}). Blank lines are
 * skipped; a line that is neither is reported as a problem, not guessed at.
 */
export function readExchangeLog(text: string, source: string): Recording {
  const validate = schemaValidator('run/exchange-log.json');
  const exchanges: SourcedExchange[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, index) => {
    const where = `${source}:${index + 1}`;
    if (raw.trim() === '') return;
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch (error) {
      problems.push(`${where}: not JSON: ${(error as Error).message}`);
      return;
    }
    const evidence = (data as { evidence?: unknown } | null)?.evidence;
    if (evidence !== undefined && schemaValidator('run/report.json#/$defs/evidence')(evidence)) {
      const { exchange, cut } = fromEvidence(evidence as Evidence);
      if (cut) problems.push(`${where}: the recorded reply or request is cut; only what is whole is validated`);
      exchanges.push({ source: where, exchange });
    } else if (validate(data)) {
      exchanges.push({ source: where, exchange: fromLogLine(data as ExchangeLogLine) });
    } else {
      problems.push(`${where}: not an exchange log line: ${validate.errors?.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ')}`);
    }
  });
  return { exchanges, problems, skipped: 0 };
}
