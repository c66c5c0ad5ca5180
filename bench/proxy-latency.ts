// How much latency `pame proxy` adds on loopback (target: p50 under 1 ms).
// Run: npm run build && node dist/bench/proxy-latency.js [requests]
// Not part of npm test: figures depend on the machine and its load.
import { performance } from 'node:perf_hooks';
import { HiveClient } from '../src/client/client.js';
import { createHive, TEST_PASSWORD_COST } from '../src/hive/index.js';
import { createValidatingProxy } from '../src/proxy/index.js';

const REQUESTS = Number(process.argv[2] ?? 2000);
const WARMUP = 200;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const hive = createHive({ passwordCost: TEST_PASSWORD_COST, domain: 'hive.pame.test' });
const { url: hiveUrl } = await hive.listen(0, '127.0.0.1');
let validated = 0;
const proxy = createValidatingProxy({ hive: hiveUrl, onExchange: () => void validated++ });
const { url: proxyUrl } = await proxy.listen(0, '127.0.0.1');
const direct = new HiveClient(hiveUrl, { concurrency: 1 });
const viaProxy = new HiveClient(proxyUrl, { concurrency: 1 });

async function timed(client: HiveClient, method: 'GET' | 'POST'): Promise<number> {
  const started = performance.now();
  const exchange = await client.call('Epost_ping', { iam: 'bench' }, { method });
  if (exchange.reply?.status !== 200) throw new Error(`ping failed: ${exchange.failure?.message ?? exchange.reply?.status}`);
  return performance.now() - started;
}

// Interleaved pairs, the order alternating, so the machine's drift falls on both alike.
const straight: number[] = [];
const proxied: number[] = [];
const added: number[] = [];
for (let i = 0; i < WARMUP + REQUESTS; i++) {
  const method = i % 4 < 2 ? 'POST' : 'GET';
  let d: number;
  let p: number;
  if (i % 2 === 0) {
    d = await timed(direct, method);
    p = await timed(viaProxy, method);
  } else {
    p = await timed(viaProxy, method);
    d = await timed(direct, method);
  }
  if (i < WARMUP) continue;
  straight.push(d);
  proxied.push(p);
  added.push(p - d);
}
const sort = (values: number[]) => [...values].sort((x, y) => x - y);
const [s, p, a] = [sort(straight), sort(proxied), sort(added)];
const row = (name: string, v: number[]) => `${name.padEnd(22)} p50 ${percentile(v, 50).toFixed(3)} ms   p90 ${percentile(v, 90).toFixed(3)} ms   p99 ${percentile(v, 99).toFixed(3)} ms`;
console.log(`Epost_ping on loopback, ${REQUESTS} interleaved pairs (GET and POST) after ${WARMUP} warm-up pairs; ${validated} exchanges validated by the proxy`);
console.log(row('direct to the Hive', s));
console.log(row('through pame proxy', p));
console.log(row('added by the proxy', a));
console.log(`p50 added latency ${percentile(a, 50).toFixed(3)} ms: ${percentile(a, 50) < 1 ? 'under' : 'NOT under'} the 1 ms target`);

await Promise.all([direct.close(), viaProxy.close()]);
await proxy.close();
await hive.close();
