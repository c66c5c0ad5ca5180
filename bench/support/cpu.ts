// CPU time of a process, from /proc (Linux): what the runner and the Hive each
// spent, whatever threads they spread it over.
import { readFile } from 'node:fs/promises';

const TICKS_PER_SECOND = 100; // Linux USER_HZ, the unit of /proc/*/stat CPU times

/** CPU seconds from /proc/<pid>/stat: the process's own (utime+stime) and its reaped children's (cutime+cstime). */
export async function cpuOf(pid: number | 'self'): Promise<{ own: number; children: number }> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).replace(/^.*\) /, '').split(' ').map(Number);
  // After the command name: field 14 is utime, so index 11 here; 12 stime, 13 cutime, 14 cstime.
  return { own: (fields[11]! + fields[12]!) / TICKS_PER_SECOND, children: (fields[13]! + fields[14]!) / TICKS_PER_SECOND };
}

/** Runs `work` and says how many CPU microseconds this process and process `pid` spent on it. */
export async function cpuDuring<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; selfUs: number; otherUs: number }> {
  const [self, other] = [await cpuOf('self'), await cpuOf(pid)];
  const result = await work();
  const [selfAfter, otherAfter] = [await cpuOf('self'), await cpuOf(pid)];
  return { result, selfUs: (selfAfter.own - self.own) * 1e6, otherUs: (otherAfter.own - other.own) * 1e6 };
}

/** CPU seconds the whole machine has spent busy and idle since boot, from /proc/stat: what other tenants took shows beside ours. */
export async function machineCpu(): Promise<{ busy: number; idle: number }> {
  // cpu  user nice system idle iowait irq softirq steal …
  const fields = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const idle = fields[3]! + fields[4]!;
  return { busy: (fields.reduce((a, b) => a + b, 0) - idle) / TICKS_PER_SECOND, idle: idle / TICKS_PER_SECOND };
}
