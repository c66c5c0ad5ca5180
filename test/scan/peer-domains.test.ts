// --peer-domains: the peer Hives serve domains a network owns. A Hive in its
// own process that reaches them where their names lead (here the map a
// rewriting TLS front amounts to) is certified with countersign passing; a
// front that keeps the path is served by Host; bad lists are refused.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureCliBuilt, runCli } from '../../fixtures/hostile/measure.js';
import type { RunReport } from '../../src/generated/schemas.js';
import { parsePeerDomains, peerMap } from '../../src/peer/domains.js';
import { PeerServer } from '../../src/peer/server.js';
import { freePort } from '../../src/runner/free-port.js';
import { startHiveProcess } from '../../fixtures/hive-processes.js';

const PEER_DOMAINS = 'peer-a.example,peer-b.example,peer-c.example';

describe('--peer-domains', () => {
  it('takes three distinct DNS names, lower-cased, and nothing else', () => {
    expect(parsePeerDomains('Peer-A.example, peer-b.example,peer-c.example')).toEqual({ alpha: 'peer-a.example', beta: 'peer-b.example', gamma: 'peer-c.example' });
    expect(() => parsePeerDomains('a.example,b.example')).toThrow(/3 domains/);
    expect(() => parsePeerDomains('a.example,a.example,b.example')).toThrow(/distinct/);
    expect(() => parsePeerDomains('a.example,b_x.example,c.example')).toThrow(/not a DNS name/);
    expect(() => parsePeerDomains('a.example,localhost,c.example')).toThrow(/two or more labels/);
  });

  it('certifies a Hive in its own process with every countersign check passing as those domains', async () => {
    await ensureCliBuilt();
    const port = await freePort('127.0.0.1');
    const domains = parsePeerDomains(PEER_DOMAINS);
    const hive = await startHiveProcess('reference', 'certified.example', peerMap({ host: '127.0.0.1', port, domains }));
    const dir = await mkdtemp(join(tmpdir(), 'pame-peer-domains-'));
    try {
      // CS-007 waits 11 s for a late step 2 and CS-017 8 s before a late one; they judge the Hive's clock, not the
      // arrangement, which the other countersign checks prove in both directions (relays in, relays out).
      const run = await runCli(['run', '--hive', hive.url, '--peer-domains', PEER_DOMAINS, '--peer-port', String(port), '--only', 'PAME-CS-', '--skip', 'PAME-CS-007', 'PAME-CS-017', '--reporter', 'json', '--report-dir', dir, '--quiet']);
      const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as RunReport;
      expect(report.checks.filter((c) => c.status !== 'passed').map((c) => `${c.id} ${c.status}: ${c.message}`), run.stderr).toEqual([]);
      expect(report.checks.length).toBeGreaterThan(10);
      expect(report.peerMap).toBe(`peer-a.example=http://127.0.0.1:${port}/alpha/,peer-b.example=http://127.0.0.1:${port}/beta/,peer-c.example=http://127.0.0.1:${port}/gamma/`);
      // Partial (countersign only): every selected check passed, and a partial run certifies nothing (exit 3).
      expect([report.verdict, run.exitCode]).toEqual(['incomplete', 3]);
    } finally {
      await hive.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('serves a peer Hive at / by the host of its default base URL, as a TLS front that keeps the path passes it on', async () => {
    const peer = await PeerServer.start({ peer: { host: '127.0.0.1', port: 0, domains: parsePeerDomains(PEER_DOMAINS) }, hiveUrl: 'http://127.0.0.1:9/', hiveDomain: 'certified.example' });
    try {
      const ping = (host: string) =>
        new Promise<string>((resolve, reject) => {
          const req = request({ host: '127.0.0.1', port: peer.bound.port, path: '/', method: 'POST', headers: { host, 'content-type': 'application/json' } }, (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
            res.on('end', () => resolve(body));
          });
          req.on('error', reject);
          req.end(JSON.stringify({ w: 'Epost_ping' }));
        });
      expect(JSON.parse(await ping('epost.peer-b.example'))).toMatchObject({ resp: 1, hive: 'peer-b.example' });
      expect(JSON.parse(await ping('epost.peer-c.example:443'))).toMatchObject({ resp: 1, hive: 'peer-c.example' });
      expect(peer.requests.map((r) => r.peer)).toEqual(['beta', 'gamma']);
      await ping('epost.elsewhere.example');
      expect(peer.requests[2]!.unexpected?.rule).toBe('C2');
    } finally {
      await peer.close();
    }
  });
});
