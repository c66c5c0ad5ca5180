import type { IncomingMessage, ServerResponse } from 'node:http';
import { RESP } from '../protocol/reply-codes.js';
import { clientIpOf } from './client-ip.js';
import { bare, type Hive } from './context.js';
import { dispatch } from './dispatch.js';
import type { HandlerTable } from './handlers.js';
import { decodeRequest, outgoing, writeReply, type OutgoingReply } from './http.js';
import type { Tamper } from './options.js';
import type { SessionChecker } from './sessions.js';

interface ListenerConfig {
  readonly hive: Hive;
  readonly handlers: HandlerTable;
  readonly checkSession: SessionChecker;
  readonly maxBodyBytes: number;
  readonly trustedProxies: ReadonlySet<string>;
  readonly tamper: Pick<Tamper, 'http' | 'reply'>;
}

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

async function serve(config: ListenerConfig, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // A client that goes away mid-request makes the request stream fail; that must not reach the process.
  req.on('error', () => undefined);
  if (await config.tamper.http?.(req, res)) return;
  // Read before the body: the peer address is gone once the socket is.
  const clientIp = clientIpOf(req, config.trustedProxies);
  const decoded = await decodeRequest(req, config.maxBodyBytes);
  let reply: OutgoingReply;
  if ('parts' in decoded) {
    const body = clientIp === undefined ? bare(RESP.UNKNOWN_ERROR) : await dispatch(config.hive, config.handlers, config.checkSession, decoded.parts, clientIp);
    reply = outgoing(body);
  } else {
    reply = outgoing(decoded.reply, decoded.status);
  }
  writeReply(res, config.tamper.reply ? config.tamper.reply(reply, req) : reply, decoded.unreadBody);
}

/** Whatever broke, the client still gets a protocol reply, -1 with status 200, never a 5xx (T7). */
function answerLastResort(res: ServerResponse): void {
  try {
    if (res.headersSent) res.destroy();
    else writeReply(res, outgoing(bare(RESP.UNKNOWN_ERROR)), true);
  } catch {
    res.destroy();
  }
}

/** The Hive's node request listener, usable with http.createServer. */
export function createListener(config: ListenerConfig): RequestListener {
  return (req, res) => {
    serve(config, req, res).catch(() => answerLastResort(res));
  };
}
