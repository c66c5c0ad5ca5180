// Fuzz throughput against the reference Hive, next to a same-mix ceiling: the
// very requests a fuzz check sent, recorded, then replayed by an HTTP load tool
// (autocannon) against the same Hive in the same run (target: at least half of
// it). An Epost_ping ceiling is shown beside it: it overstates what a Hive can
// serve, since a fuzz request costs the Hive several pings.
// Run: npm run build && node dist/bench/fuzz-throughput.js [fuzz-runs] [concurrency] [check ids, comma-separated]
// BENCH_PROFILE=<dir> writes the Hive's CPU profile there; node --cpu-prof profiles the fuzzer.
// Not part of npm test: the figures depend on the machine and its load.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startHiveProcess } from '../fixtures/hive-processes.js';
import { createEnvironment } from '../src/checks/environment.js';
import { executeCheck } from '../src/checks/execute.js';
import { HiveClient } from '../src/client/client.js';
import { sessionKeyOf } from '../src/client/exchange.js';
import type { RecordedTraffic } from '../src/client/recorder.js';
import { peerMap } from '../src/peer/domains.js';
import { freePort } from '../src/runner/free-port.js';
import { fuzzSuite } from '../suites/fuzz.js';
import { cpuDuring } from './support/cpu.js';
import { BENCH_DOMAIN, benchSettings } from './support/run-inputs.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const FUZZ_RUNS = Number(process.argv[2] ?? 200);
const CONCURRENCY = Number(process.argv[3] ?? 16);
const ONLY = process.argv[4]?.split(',');
const PING_SECONDS = 5;
/** Headers autocannon writes itself from the body it sends; a recorded one could contradict it. */
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'host']);

interface Rate {
  readonly requests: number;
  readonly seconds: number;
  /** CPU per request, in microseconds, of the sender (fuzzer or load tool) and of the Hive. */
  readonly senderUs: number;
  readonly hiveUs: number;
}

const perSecond = (r: Rate) => r.requests / r.seconds;

/** Epost_ping over keep-alive connections as fast as the Hive answers: what its HTTP stack alone can take. */
async function pingCeiling(url: string, hivePid: number): Promise<Rate> {
  const { result, selfUs, otherUs } = await cpuDuring(hivePid, () => autocannon({ url, connections: CONCURRENCY, duration: PING_SECONDS, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"w":"Epost_ping","iam":"bench"}' }));
  const requests = result.requests.total;
  return { requests, seconds: result.duration, senderUs: selfUs / requests, hiveUs: otherUs / requests };
}

/**
 * Runs one fuzz check and reads its requests and the seconds its batch took
 * from the note it leaves. CPU is the whole check's (arranging users included).
 * With `recordDir`, the check's requests are written there as it sends them.
 */
async function fuzzRate(url: string, hivePid: number, id: string, recordDir?: string): Promise<Rate> {
  const env = await createEnvironment(benchSettings(url, { concurrency: CONCURRENCY, fuzzRuns: FUZZ_RUNS, ...(recordDir ? { recordDir } : {}) }));
  try {
    const { result, selfUs, otherUs } = await cpuDuring(hivePid, () => executeCheck(fuzzSuite.checks.find((check) => check.id === id)!, env));
    if (result.status !== 'passed') throw new Error(`${id} ${result.status}: ${result.message}`);
    const match = /(\d+) requests in ([\d.]+) s/.exec(result.notes?.[0] ?? '');
    if (!match) throw new Error(`${id} left no throughput note`);
    const requests = Number(match[1]);
    return { requests, seconds: Number(match[2]), senderUs: selfUs / requests, hiveUs: otherUs / requests };
  } finally {
    await env.close();
  }
}

type Recorded = RecordedTraffic['exchange'];

/** What the checks sent to the Hive, in the order the answers came. */
async function readRecorded(dir: string): Promise<Recorded[]> {
  const sent: Recorded[] = [];
  for (const file of await readdir(dir)) {
    for (const line of (await readFile(join(dir, file), 'utf8')).split('\n')) {
      if (!line) continue;
      const { route, exchange } = JSON.parse(line) as RecordedTraffic;
      if (route === 'runner→hive') sent.push(exchange);
    }
  }
  return sent;
}

/** A request's body as latin1 text: every byte one character, so keys can be swapped in bytes that are not UTF-8. */
const bodyText = (request: Recorded['request']) => (request.bodyBase64 !== undefined ? Buffer.from(request.bodyBase64, 'base64') : Buffer.from(request.body ?? '', 'utf8')).toString('latin1');

/** A pattern matching any of `texts`, literally. */
const anyOf = (texts: Iterable<string>) => new RegExp([...texts].map((text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');

/**
 * The checks close their sessions when they end, so a replay would send most
 * requests with dead keys, which the Hive refuses cheaply. Every session that
 * requests went on using is opened again here, as the same user; the replay
 * sends the new key wherever the old one stood.
 */
async function renewedSessions(url: string, sent: readonly Recorded[]): Promise<Map<string, string>> {
  const logins = new Map<string, { iam: string; pass: string }>();
  for (const { code, request, reply } of sent) {
    if (code !== 'Epost_session_open' || !reply) continue;
    const parts = (() => { try { return JSON.parse(request.body ?? '') as { iam?: unknown; pass?: unknown }; } catch { return undefined; } })();
    const answer = JSON.parse(Buffer.from(reply.bodyBase64, 'base64').toString('utf8') || 'null') as { resp?: unknown; session?: unknown } | null;
    if (typeof parts?.iam === 'string' && typeof parts.pass === 'string' && answer?.resp === 1 && typeof answer.session === 'string') logins.set(answer.session, { iam: parts.iam, pass: parts.pass });
  }
  if (logins.size === 0) return new Map();
  const anyKey = anyOf(logins.keys());
  const used = new Set(sent.filter((e) => e.code !== 'Epost_session_close').flatMap((e) => bodyText(e.request).match(anyKey) ?? []));
  const client = new HiveClient(url);
  try {
    const renewed = new Map<string, string>();
    for (const key of used) {
      const { iam, pass } = logins.get(key)!;
      const session = sessionKeyOf(await client.call('Epost_session_open', { iam, pass }));
      if (session) renewed.set(key, session);
    }
    return renewed;
  } finally {
    await client.close();
  }
}

/** The recorded requests as autocannon sends them: each its method, path, headers and exact body bytes, with renewed session keys. */
function replayable(sent: readonly Recorded[], renewed: ReadonlyMap<string, string>): autocannon.Request[] {
  const oldKeys = anyOf(renewed.keys());
  const renew = (text: string) => (renewed.size === 0 ? text : text.replace(oldKeys, (key) => renewed.get(key)!));
  return sent.map(({ request }) => {
    const target = new URL(request.url);
    return {
      method: request.method as autocannon.Request['method'],
      path: renew(target.pathname + target.search),
      headers: Object.fromEntries(Object.entries(request.headers).filter(([name]) => !FRAMING_HEADERS.has(name.toLowerCase())).map(([name, value]) => [name, renew(value)])),
      ...(request.body !== undefined || request.bodyBase64 !== undefined ? { body: Buffer.from(renew(bodyText(request)), 'latin1') } : {}),
    };
  });
}

/**
 * Sends `requests` once each over CONCURRENCY keep-alive connections: the
 * connections take them round-robin, and autocannon gives connection i the
 * same count (amount spread evenly), so every request goes out exactly once.
 * Timed from the call to the last answer (autocannon's own end waits for its
 * next one-second tick).
 */
async function replay(url: string, hivePid: number, requests: readonly autocannon.Request[]): Promise<Rate & { errors: number }> {
  const slices = Array.from({ length: CONCURRENCY }, (_, i) => requests.filter((_, j) => j % CONCURRENCY === i));
  let next = 0;
  let lastAnswer = 0;
  const started = performance.now();
  const { result, selfUs, otherUs } = await cpuDuring(hivePid, () =>
    autocannon({
      url,
      connections: Math.min(CONCURRENCY, requests.length),
      amount: requests.length,
      setupClient: (client) => {
        client.setRequests(slices[next++]!);
        client.on('response', () => (lastAnswer = performance.now()));
      },
    }),
  );
  const answered = result.requests.total;
  return { requests: answered, seconds: (lastAnswer - started) / 1000, senderUs: selfUs / answered, hiveUs: otherUs / answered, errors: result.errors + result.timeouts };
}

// Its peer domains point at a port nobody serves, so a relay's step 2 fails at once rather than waiting on DNS.
const hive = await startHiveProcess('reference', BENCH_DOMAIN, peerMap({ host: '127.0.0.1', port: await freePort('127.0.0.1') }));
const recordings = await mkdtemp(join(tmpdir(), 'pame-bench-fuzz-'));
try {
  const { pid } = hive;
  // Warm both paths up once, so that neither figure pays for compiling.
  await autocannon({ url: hive.url, connections: 1, amount: 200, method: 'POST', body: '{"w":"Epost_ping","iam":"bench"}' });
  const rows = [];
  for (const check of fuzzSuite.checks.filter((c) => !ONLY || ONLY.includes(c.id))) {
    // Measured as a run fuzzes, without recording; then once more, recorded (same seed, same samples), for the replay.
    const fuzz = await fuzzRate(hive.url, pid, check.id);
    const dir = join(recordings, check.id);
    await mkdir(dir);
    await fuzzRate(hive.url, pid, check.id, dir);
    const sent = await readRecorded(dir);
    const renewed = await renewedSessions(hive.url, sent);
    const requests = replayable(sent, renewed);
    const same = await replay(hive.url, pid, requests);
    rows.push({ id: check.id, fuzz, replay: same, recorded: requests.length, renewedSessions: renewed.size, ratio: perSecond(fuzz) / perSecond(same) });
    process.stderr.write(`${check.id}: fuzz ${perSecond(fuzz).toFixed(0)}/s, replay ${perSecond(same).toFixed(0)}/s\n`);
  }
  const ping = await pingCeiling(hive.url, pid);
  const total = (rates: readonly Rate[]) => ({ requests: rates.reduce((s, r) => s + r.requests, 0), seconds: rates.reduce((s, r) => s + r.seconds, 0) });
  const fuzzAll = total(rows.map((r) => r.fuzz));
  const replayAll = total(rows.map((r) => r.replay));
  const ratio = perSecond(fuzzAll as Rate) / perSecond(replayAll as Rate);
  const command = `npm run build && node dist/bench/fuzz-throughput.js ${FUZZ_RUNS} ${CONCURRENCY}${ONLY ? ` ${ONLY.join(',')}` : ''}`;
  const result = {
    date: new Date().toISOString(), command, fuzzRuns: FUZZ_RUNS, concurrency: CONCURRENCY,
    checks: rows, fuzz: { ...fuzzAll, perSecond: fuzzAll.requests / fuzzAll.seconds }, replay: { ...replayAll, perSecond: replayAll.requests / replayAll.seconds },
    ratio, targetMet: ratio >= 0.5, ping: { ...ping, perSecond: perSecond(ping) },
  };
  const n = (x: number) => x.toFixed(0);
  /** How many cores' worth of CPU per second a side spent, from its CPU per request and the requests per second. */
  const busy = (r: Rate, us: number) => ((us * perSecond(r)) / 1e6).toFixed(2);
  const md = [
    `# Fuzzing against a same-mix ceiling (${result.date})`,
    '',
    `Command: \`${command}\`. One \`pame hive\` process; each fuzz check runs twice with seed 42 (measured as a run fuzzes, then recorded), and autocannon replays exactly the recorded requests against the same Hive over ${CONCURRENCY} keep-alive connections. The replay also sends the few requests a check arranges its users with and closes their sessions by (the difference between the two counts); the sessions the checks closed when they ended are opened again as the same users first, and their new keys stand in the replayed requests, so these act on live sessions as the fuzzer's did (users registered by the fuzzer exist by then, so their registrations are refused). CPU per request covers the whole check (drawing samples, arranging users).`,
    '',
    '| check | fuzz requests | fuzz req/s | replay req/s (same requests) | fuzz / replay | fuzzer CPU per request | Hive CPU per request, fuzz / replay | cores busy: fuzzer, Hive while fuzzing; Hive while replaying | replay errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.id} | ${r.fuzz.requests} (${r.recorded} replayed, ${r.renewedSessions} sessions renewed) | ${n(perSecond(r.fuzz))} | ${n(perSecond(r.replay))} | ${r.ratio.toFixed(2)} | ${n(r.fuzz.senderUs)} µs | ${n(r.fuzz.hiveUs)} / ${n(r.replay.hiveUs)} µs | ${busy(r.fuzz, r.fuzz.senderUs)}, ${busy(r.fuzz, r.fuzz.hiveUs)}; ${busy(r.replay, r.replay.hiveUs)} | ${r.replay.errors} |`),
    `| all fuzzing | ${fuzzAll.requests} | ${n(result.fuzz.perSecond)} | ${n(result.replay.perSecond)} | **${ratio.toFixed(2)}** | | | | |`,
    '',
    `Target: fuzz at least 0.5 of the same-mix replay: ${result.targetMet ? 'met' : 'not met'} (${ratio.toFixed(2)}). ` +
      `For scale, autocannon on Epost_ping alone (${CONCURRENCY} connections, ${PING_SECONDS} s): ${n(result.ping.perSecond)} req/s, Hive ${n(ping.hiveUs)} µs per request; fuzzing is ${(result.fuzz.perSecond / result.ping.perSecond).toFixed(2)} of that.`,
    '',
  ].join('\n');
  await mkdir(join(root, 'bench', 'results'), { recursive: true });
  await writeFile(join(root, 'bench', 'results', 'fuzz-throughput.json'), JSON.stringify(result, null, 2) + '\n');
  await writeFile(join(root, 'bench', 'results', 'fuzz-throughput.md'), md);
  process.stdout.write(md);
} finally {
  await hive.stop();
  await rm(recordings, { recursive: true, force: true });
}
