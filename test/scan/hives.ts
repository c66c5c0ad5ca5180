// Hives in processes of their own, as a scan meets them: the reference Hive
// through `pame hive`, known-bad Hives through fixtures/bad-hives/serve.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { CLI } from '../../fixtures/hostile/measure.js';
import { packageRoot } from '../../src/paths.js';

export interface HiveProcess {
  readonly url: string;
  readonly domain: string;
  stop(): void;
}

const BAD_HIVE_SERVER = join(packageRoot, 'dist', 'fixtures', 'bad-hives', 'serve.js');

/** Starts a Hive of the given kind ('reference' or a bad Hive's name) serving `domain`, with the domain map `resolve`. */
export function startHiveProcess(kind: string, domain: string, resolve: string): Promise<HiveProcess> {
  const args = kind === 'reference' ? [CLI, 'hive', '--domain', domain, '--port', '0', '--resolve', resolve] : [BAD_HIVE_SERVER, kind, domain, resolve, '0'];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolvePromise, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`${kind} exited with ${code} before listening`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /listening (\S+)/.exec(out);
      if (match) {
        child.removeAllListeners('exit');
        resolvePromise({ url: match[1]!, domain, stop: () => void child.kill() });
      }
    });
  });
}
