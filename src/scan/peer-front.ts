// One peer endpoint for a whole scan. Every target's run has its own peer
// server (src/peer/server.ts) on a private loopback port; this front is the
// one listener all Hives are told about, and hands each request to the run
// of the Hive that sent it, known by the domain of the request's iam (the
// Hive's psychocat, A3), which the scan learned from each Hive's Epost_ping.
import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { domainOf } from '../protocol/address.js';
import { decodeParts, readBody } from '../peer/decode.js';
import { DEFAULT_PEER_MAX_BODY_BYTES } from '../peer/server.js';

/** How many unrouted requests are kept for the scan's notes; the rest are only counted. */
const MAX_UNROUTED_KEPT = 20;

export class PeerFront {
  private readonly routes = new Map<string, number>();
  private readonly agent = new Agent({ keepAlive: true });
  /** Requests no target's run could be told apart by: counted, the first few described. */
  readonly unrouted: { count: number; kept: string[] } = { count: 0, kept: [] };

  private constructor(
    private readonly server: Server,
    readonly bound: { readonly host: string; readonly port: number },
  ) {}

  static async start(host: string, port: number): Promise<PeerFront> {
    let front: PeerFront | undefined;
    const server = createServer((req, res) => void front?.serve(req, res).catch(() => res.destroy()));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address() as AddressInfo;
    front = new PeerFront(server, { host: address.address, port: address.port });
    return front;
  }

  /** Sends the requests of the Hive of `domain` to the peer server on this loopback port. */
  route(domain: string, port: number): void {
    this.routes.set(domain.toLowerCase(), port);
  }

  unroute(domain: string): void {
    this.routes.delete(domain.toLowerCase());
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    this.agent.destroy();
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.on('error', () => undefined);
    const body = req.method === 'GET' ? Buffer.alloc(0) : await readBody(req, DEFAULT_PEER_MAX_BODY_BYTES);
    const decoded = body === undefined ? undefined : decodeParts(req, body);
    const iam = decoded && 'parts' in decoded ? decoded.parts.iam : undefined;
    const domain = typeof iam === 'string' && iam.includes('::') ? domainOf(iam).toLowerCase() : undefined;
    // With one target nothing needs telling apart: its run sees everything, as under `pame run`.
    const port = domain !== undefined ? this.routes.get(domain) : this.routes.size === 1 ? [...this.routes.values()][0] : undefined;
    if (port === undefined || body === undefined) {
      this.unrouted.count++;
      if (this.unrouted.kept.length < MAX_UNROUTED_KEPT) {
        this.unrouted.kept.push(`${req.method ?? '?'} ${JSON.stringify((req.url ?? '').slice(0, 100))} ${body === undefined ? `over ${DEFAULT_PEER_MAX_BODY_BYTES} bytes` : `iam ${JSON.stringify(typeof iam === 'string' ? iam.slice(0, 100) : iam ?? null)}`}`);
      }
      const answer = JSON.stringify({ resp: -1.1 });
      res.writeHead(body === undefined ? 413 : 200, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(answer.length), connection: 'close' });
      res.end(answer);
      return;
    }
    this.forward(req, res, body, port);
  }

  /** Passes the request on unchanged (its body already read) and the answer back, however late; a Hive that hangs up ends both. */
  private forward(req: IncomingMessage, res: ServerResponse, body: Buffer, port: number): void {
    const headers = { ...req.headers, 'content-length': String(body.length) };
    delete headers['transfer-encoding'];
    const upstream = httpRequest({ host: '127.0.0.1', port, method: req.method, path: req.url, headers, agent: this.agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    res.on('close', () => void (res.writableFinished ? undefined : upstream.destroy()));
    upstream.end(body);
  }
}
