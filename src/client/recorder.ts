import { createWriteStream, type WriteStream } from 'node:fs';
import type { Exchange } from './exchange.js';

/** Who sent a recorded request to whom: the checks to the Hive, the Hive to the peer server, a peer Hive's step 2 back. */
export type TrafficRoute = 'runner→hive' | 'hive→peer' | 'peer→hive';

/** One exchange as a line of a traffic record: the reply's bytes as base64, everything else as the Exchange holds it. */
export interface RecordedTraffic {
  readonly route: TrafficRoute;
  readonly exchange: Omit<Exchange, 'reply'> & { readonly reply?: { readonly status: number; readonly headers: Exchange['request']['headers'] | Readonly<Record<string, string | string[]>>; readonly bodyBase64: string } };
}

/**
 * Appends every exchange it is given to a JSON Lines file, as it happens: a
 * worker's traffic goes to disk, not into memory (`--record har`; the report
 * writer joins the files into one HAR after the run).
 */
export class TrafficRecorder {
  private readonly stream: WriteStream;

  constructor(path: string) {
    this.stream = createWriteStream(path, { flags: 'a' });
    // A full disk must not break the run; the HAR then misses entries, which the writer cannot know.
    this.stream.on('error', () => undefined);
  }

  record(route: TrafficRoute, exchange: Exchange): void {
    const { reply, ...rest } = exchange;
    const line: RecordedTraffic = { route, exchange: { ...rest, ...(reply ? { reply: { status: reply.status, headers: reply.headers, bodyBase64: reply.bytes.toString('base64') } } : {}) } };
    this.stream.write(JSON.stringify(line) + '\n');
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(() => resolve()));
  }
}
