// --wait-for: poll Epost_ping, backing off, until the Hive answers or the deadline passes.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { ensureCliBuilt, runCli } from '../../fixtures/hostile/measure.js';
import { describeNoAnswer, waitForHive } from '../../src/runner/wait.js';
import { freePort } from '../../src/runner/free-port.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

const PONG = JSON.stringify({ resp: 1, hive: 'late.pame.test', v: '0.2.1' });

it('waits for a Hive that starts listening late', async () => {
  const port = await freePort('127.0.0.1');
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(PONG));
  servers.push(server);
  setTimeout(() => server.listen(port, '127.0.0.1'), 1_200);
  const outcome = await waitForHive(`http://127.0.0.1:${port}/`, 10, { timeoutMs: 1000 });
  expect(outcome.answered).toBe(true);
  expect(outcome.attempts).toBeGreaterThan(2);
  expect(outcome.elapsedMs).toBeGreaterThanOrEqual(1_000);
});

it('keeps waiting through a gateway\'s 503 until the Hive behind it answers, and takes any answer of the Hive', async () => {
  let ready = false;
  const server = createServer((_req, res) => (ready ? res.writeHead(400).end('{"resp":-1.1}') : res.writeHead(503).end('<html>starting</html>')));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  setTimeout(() => (ready = true), 600);
  const outcome = await waitForHive(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, 10);
  expect(outcome.answered).toBe(true);
  expect(outcome.attempts).toBeGreaterThan(1);
});

it('gives up at its deadline, naming what it tried', async () => {
  const port = await freePort('127.0.0.1');
  const started = Date.now();
  const outcome = await waitForHive(`http://127.0.0.1:${port}/`, 1.5);
  expect(outcome.answered).toBe(false);
  expect(Date.now() - started).toBeLessThan(3_000);
  // Backing off: 100, 200, 400, 800 ms pauses leave room for some five attempts in 1.5 s, not hundreds.
  expect(outcome.attempts).toBeGreaterThan(2);
  expect(outcome.attempts).toBeLessThan(10);
  expect(describeNoAnswer(`http://127.0.0.1:${port}/`, 1.5, outcome)).toMatch(new RegExp(`the Hive at http://127\\.0\\.0\\.1:${port}/ did not answer Epost_ping within --wait-for 1\\.5 s: \\d+ attempt\\(s\\) .* the last got network: .*ECONNREFUSED`));
});

it('pame run --wait-for ends with exit 3 and the message when the Hive never answers', async () => {
  await ensureCliBuilt();
  const port = await freePort('127.0.0.1');
  const run = await runCli(['run', '--hive', `http://127.0.0.1:${port}/`, '--wait-for', '1', '--peer-port', '0', '--reporter', 'json', '--report-dir', '/tmp/pame-wait-unused', '--quiet'], { env: { PAME_CONFIG: '' } });
  expect(run.exitCode).toBe(3);
  expect(run.stderr).toMatch(/did not answer Epost_ping within --wait-for 1 s: \d+ attempt/);
}, 180_000);
