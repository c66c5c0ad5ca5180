// `pame run --header` against a Hive behind a gateway that turns away every request without the key:
// every request of the run carries it, and no report holds it.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureCliBuilt, runCli } from '../../fixtures/hostile/measure.js';
import { createHive, TEST_PASSWORD_COST } from '../../src/hive/index.js';

const KEY = 'gateway-s3cret-4711';
const hive = createHive({ domain: 'fronted.pame.test', passwordCost: TEST_PASSWORD_COST });
let hiveUrl: URL;
let gatewayUrl: string;
const seen = { with: 0, without: 0 };
const gateway = createServer((req: IncomingMessage, res: ServerResponse) => {
  if (req.headers['x-gateway-key'] !== KEY) {
    seen.without++;
    return void res.writeHead(401).end();
  }
  seen.with++;
  const upstream = request({ host: hiveUrl.hostname, port: hiveUrl.port, path: req.url, method: req.method, headers: req.headers }, (reply) => {
    res.writeHead(reply.statusCode ?? 502, reply.headers);
    reply.pipe(res);
  });
  upstream.on('error', () => res.destroy());
  req.pipe(upstream);
});
let dir: string;

beforeAll(async () => {
  await ensureCliBuilt();
  hiveUrl = new URL((await hive.listen(0, '127.0.0.1')).url);
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/`;
  dir = await mkdtemp(join(tmpdir(), 'pame-fronted-'));
}, 180_000);
afterAll(async () => {
  gateway.closeAllConnections();
  await new Promise((resolve) => gateway.close(resolve));
  await hive.close();
  await rm(dir, { recursive: true, force: true });
});

it('every request of the run passes the gateway with --header, and no report holds the key', async () => {
  const run = await runCli(['run', '--hive', gatewayUrl, '--header', `X-Gateway-Key: ${KEY}`, '--only', 'PAME-PING', '--peer-port', '0', '--report-dir', dir, '--reporter', 'json', 'summary', 'junit', 'certificate', '--quiet']);
  // A run of selected checks is partial and certifies nothing (exit 3); none of the selected checks failed.
  expect(run.exitCode, run.stderr + run.stdout).toBe(3);
  const ran = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as { verdict: string; counts: { failed: number; error: number } };
  expect([ran.verdict, ran.counts.failed, ran.counts.error]).toEqual(['incomplete', 0, 0]);
  expect(seen.with).toBeGreaterThan(0);
  expect(seen.without).toBe(0);
  const files = await readdir(dir);
  expect(files).toContain('report.json');
  for (const file of files.filter((name) => /\.(json|jsonl|md|xml)$/.test(name))) expect(await readFile(join(dir, file), 'utf8'), file).not.toContain(KEY);
}, 120_000);
