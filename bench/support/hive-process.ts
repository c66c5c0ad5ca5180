// The reference Hive in a process of its own, as `pame hive` serves it: its CPU
// and memory are told apart from the runner's, and on this 2-core machine the
import { TEST_PASSWORD_COST } from '../../src/hive/index.js';
// runner and the Hive each get a core. BENCH_PROFILE=<dir> makes the Hive write
// a V8 CPU profile there when it stops (node --cpu-prof), to see where its time goes.
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI } from '../../fixtures/hostile/measure.js';

export interface HiveProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Stops the Hive and waits for it to exit (and write its profile). */
  close(): Promise<void>;
}

/** Starts `pame hive --port 0` with `args` added and resolves once it says where it listens. A bench is one client on one address: the test password cost, no per-IP limits. */
export async function startHiveProcess(args: readonly string[] = []): Promise<HiveProcess> {
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, CLI, 'hive', '--port', '0', '--scrypt-n', String(TEST_PASSWORD_COST.N), '--no-ip-limits', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /listening (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    void exited.then(() => reject(new Error(`pame hive exited before listening: ${out}`)));
  });
  return {
    url,
    child,
    close: async () => {
      child.kill('SIGINT');
      await exited;
    },
  };
}
