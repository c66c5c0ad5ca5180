// The one spawner of Hive processes (fixtures/hive-processes.ts) that the scan tests and the benches
// share: ready when the Hive says where it listens, within a deadline; a start that fails says why and
// leaves no process behind; stop() waits for the process to end.
import { beforeAll, describe, expect, it } from 'vitest';
import { startHiveProcess } from '../../fixtures/hive-processes.js';
import { ensureCliBuilt } from '../../fixtures/hostile/measure.js';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeAll(ensureCliBuilt, 180_000);

describe('startHiveProcess', () => {
  it('starts the reference Hive serving its domain, answering at its URL, and stop() ends the process', async () => {
    const hive = await startHiveProcess('reference', 'spawned.example', '');
    try {
      expect(hive.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const reply = await fetch(hive.url, { method: 'POST', body: JSON.stringify({ w: 'Epost_ping', iam: 'x' }) });
      expect(await reply.json()).toMatchObject({ hive: 'spawned.example' });
    } finally {
      await hive.stop();
    }
    expect(alive(hive.pid)).toBe(false);
  }, 60_000);

  it('rejects a kind no Hive has, naming its early exit', async () => {
    await expect(startHiveProcess('no-such-hive', 'spawned.example', '')).rejects.toThrow(/no-such-hive Hive for spawned\.example exited \(2\) before listening/);
  }, 60_000);

  it('gives up on a Hive that does not say where it listens within the deadline', async () => {
    await expect(startHiveProcess('reference', 'spawned.example', '', { readyWithinMs: 1 })).rejects.toThrow(/did not say where it listens within 1 ms/);
  }, 60_000);
});
