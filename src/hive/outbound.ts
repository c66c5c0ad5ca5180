import { HiveClient, type ClientOptions, type Exchange } from '../client/index.js';
import type { PartsOf, RequestCode } from '../protocol/codes.js';
import { publicOnlyLookup } from './public-address.js';

/**
 * Requests from this Hive to other Hives. Each request gets its own client,
 * closed when it is done, so a stream of relays naming ever new domains
 * leaves nothing behind; HiveClient bounds each request (deadline, reply
 * size) and never follows a redirect.
 */
export class Outbound {
  private readonly inFlight = new Set<HiveClient>();
  private closed = false;
  private readonly lookup = publicOnlyLookup();

  /** `mapped`: the base URLs of the operator's domain map, reached wherever they are; any other goes to public addresses only. */
  constructor(
    private readonly options: Pick<ClientOptions, 'timeoutMs' | 'maxReplyBytes'>,
    private readonly mapped: ReadonlySet<string>,
  ) {}

  async call<C extends RequestCode>(baseUrl: string, code: C, parts: PartsOf<C>): Promise<Exchange> {
    if (this.closed) throw new Error('the Hive is closed');
    const client = new HiveClient(baseUrl, this.mapped.has(baseUrl) ? this.options : { ...this.options, lookup: this.lookup });
    this.inFlight.add(client);
    try {
      return await client.call(code, parts);
    } finally {
      this.inFlight.delete(client);
      await client.close();
    }
  }

  /** Refuses new requests and waits for those under way (each bounded by its deadline). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.inFlight].map((client) => client.close()));
  }
}
