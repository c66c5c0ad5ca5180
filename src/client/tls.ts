import { isIP } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';

/** What one TLS handshake with a host showed. */
export interface TlsFacts {
  /** The negotiated protocol (TLSv1.2, TLSv1.3), or undefined when there was no handshake. */
  readonly protocol?: string;
  /** Whether the certificate chains to a trusted root and names the host. */
  readonly authorized: boolean;
  /** Why it is not authorized (CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID, …). */
  readonly authorizationError?: string;
  /** Why there was no handshake. */
  readonly error?: string;
}

/**
 * Shakes hands with the target offering TLS 1.2 and later only, and reports
 * what it saw without refusing anything: judging is the check's business.
 * `ca` replaces the system's roots (the project's tests use it).
 */
export function probeTls(target: string, { timeoutMs, ca }: { timeoutMs: number; ca?: string }): Promise<TlsFacts> {
  const url = new URL(target);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const options: ConnectionOptions = { host, port: Number(url.port || 443), rejectUnauthorized: false, minVersion: 'TLSv1.2', ...(isIP(host) ? {} : { servername: host }), ...(ca ? { ca } : {}) };
  return new Promise((resolve) => {
    const socket = tlsConnect(options);
    const done = (facts: TlsFacts): void => {
      socket.destroy();
      resolve(facts);
    };
    socket.setTimeout(timeoutMs, () => done({ authorized: false, error: `no TLS handshake within ${timeoutMs} ms` }));
    socket.once('error', (error: NodeJS.ErrnoException) => done({ authorized: false, error: error.code ? `${error.code}: ${error.message}` : error.message }));
    socket.once('secureConnect', () => {
      const protocol = socket.getProtocol() ?? undefined;
      const reason = socket.authorizationError;
      done({ ...(protocol ? { protocol } : {}), authorized: socket.authorized, ...(reason ? { authorizationError: String(reason) } : {}) });
    });
  });
}
