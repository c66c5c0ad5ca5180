// A port for a listener that must be named before it listens: a Hive's domain
// map names the peer server's port before either starts. listen(0) draws from
// the ephemeral range, where every outgoing connection takes its source port
// too, so a port found free there can be taken before it is listened on (a busy
// test run lost the race). A port drawn below that range can only be taken by
// another listener.
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** The lowest port drawn: below it sit the well-known and registered services people run. */
const LOWEST_DRAWN_PORT = 10_000;
const DRAWS = 50;

/** Ports this process has handed out: two listeners of one run never get the same one. */
const handedOut = new Set<number>();

/** The first port of the system's ephemeral range, or undefined where it cannot be read (not Linux). */
function ephemeralRangeStart(): number | undefined {
  try {
    const start = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(start) && start > LOWEST_DRAWN_PORT + DRAWS ? start : undefined;
  } catch {
    return undefined;
  }
}

/** Listens on `port` and closes again: the port it was given (0: any), or undefined when it is taken. */
function probe(port: number, host: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : undefined));
    });
  });
}

export async function freePort(host: string): Promise<number> {
  const start = ephemeralRangeStart();
  for (let draw = 0; start !== undefined && draw < DRAWS; draw++) {
    const port = randomInt(LOWEST_DRAWN_PORT, start);
    if (handedOut.has(port)) continue;
    handedOut.add(port); // before the probe: a concurrent draw of the same port skips it
    if ((await probe(port, host)) === port) return port;
    handedOut.delete(port);
  }
  const port = await probe(0, host);
  if (port === undefined) throw new Error(`no free port on ${host}`);
  return port;
}
