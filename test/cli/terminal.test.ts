// `pame run` in a real terminal (tmux, a terminal emulator with a screen) at two widths:
// no line of the screen is longer than the terminal (tmux joins a wrapped line back, so a
// joined line longer than the width is one that wrapped), passed checks do not stay on
// screen, failures do, and the summary and verdict are there. Needs tmux (Debian: tmux).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_HIVES } from '../../fixtures/bad-hives/index.js';
import { CLI, ensureCliBuilt } from '../../fixtures/hostile/measure.js';
import { TEST_PASSWORD_COST, type ReferenceHive } from '../../src/hive/index.js';

const run = promisify(execFile);
/** A tmux server of this test's own, so no other tmux session is touched. */
const SOCKET = `pame-terminal-${process.pid}`;
const tmux = (...args: string[]) => run('tmux', ['-L', SOCKET, '-f', '/dev/null', ...args]);

const bad = BAD_HIVES.find((hive) => hive.name === 'envelope-iam-optional')!;
let hive: ReferenceHive;
let url: string;
let dir: string;

beforeAll(async () => {
  await ensureCliBuilt();
  hive = bad.create({ domain: 'terminal.pame.test', passwordCost: TEST_PASSWORD_COST });
  url = (await hive.listen(0, '127.0.0.1')).url;
  dir = await mkdtemp(join(tmpdir(), 'pame-terminal-'));
}, 180_000);
afterAll(async () => {
  await tmux('kill-server').catch(() => undefined);
  await hive?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs the CLI in a tmux window `width` columns wide and returns every line of screen and scrollback, wrapped lines joined. */
async function screenOfRun(width: number): Promise<string[]> {
  const session = `w${width}`;
  const command = [process.execPath, CLI, 'run', '--hive', url, '--only', 'PAME-ENV', 'PAME-PING', '--peer-port', '0', '--reporter', 'console', 'json', '--report-dir', join(dir, session)]
    .map((word) => `'${word}'`).join(' ');
  await tmux('new-session', '-d', '-s', session, '-x', String(width), '-y', '40', `env -u NO_COLOR PAME_CONFIG= ${command}; echo __END__; sleep 120`);
  const deadline = Date.now() + 90_000;
  let lines: string[] = [];
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { stdout } = await tmux('capture-pane', '-p', '-J', '-S', '-', '-t', session);
    lines = stdout.split('\n');
    if (lines.some((line) => line.startsWith('__END__'))) break;
  }
  await tmux('kill-session', '-t', session).catch(() => undefined);
  return lines;
}

describe.each([80, 120])('pame run on a terminal %i columns wide', (width) => {
  it('keeps every line within the width, only failures and the summary on screen', async () => {
    const lines = await screenOfRun(width);
    expect(lines.some((line) => line.startsWith('__END__')), lines.join('\n')).toBe(true);
    const tooLong = lines.filter((line) => line.trimEnd().length > width);
    expect(tooLong, 'lines that wrapped').toEqual([]);
    expect(lines.filter((line) => / passed +PAME-/.test(line)), 'passed checks left on screen').toEqual([]);
    expect(lines.some((line) => /failed +PAME-ENV-001/.test(line)), 'the failure kept above the progress line').toBe(true);
    expect(lines.some((line) => line.startsWith('✗ PAME-ENV-001'))).toBe(true);
    expect(lines.some((line) => line.startsWith('request code'))).toBe(true);
    expect(lines.some((line) => /^verdict: nonconformant/.test(line))).toBe(true);
  }, 120_000);
});
