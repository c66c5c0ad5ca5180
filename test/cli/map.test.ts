// `pame map` prints the domain map of the run's own peer options, wherever they are given:
// flags, PAME_* variables or the config file, as `pame run` reads them.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ensureCliBuilt, runCli } from '../../fixtures/hostile/measure.js';

it('takes the peer options from the config file, PAME_* and flags, and refuses peer domains that are not three distinct names', async () => {
  await ensureCliBuilt();
  const dir = await mkdtemp(join(tmpdir(), 'pame-map-'));
  try {
    const file = join(dir, 'pame.config.json');
    await writeFile(file, JSON.stringify({ peerDomains: ['p.example', 'q.example', 'r.example'], peerPort: 5000 }));
    const fromFile = await runCli(['map', '--config', file]);
    expect(fromFile.stdout, fromFile.stderr).toBe('p.example=http://127.0.0.1:5000/alpha/,q.example=http://127.0.0.1:5000/beta/,r.example=http://127.0.0.1:5000/gamma/\n');
    const fromEnv = await runCli(['map', '--peer-public-url', 'http://10.0.0.1:9000/'], { env: { PAME_PEER_DOMAINS: 'x.example,y.example,z.example' } });
    expect(fromEnv.stdout, fromEnv.stderr).toBe('x.example=http://10.0.0.1:9000/alpha/,y.example=http://10.0.0.1:9000/beta/,z.example=http://10.0.0.1:9000/gamma/\n');
    const refused = await runCli(['map', '--peer-domains', 'a.example,A.example,c.example']);
    expect(refused.exitCode).toBe(3);
    expect(refused.stderr).toMatch(/not three distinct names \(flag --peer-domains\)/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 180_000);
