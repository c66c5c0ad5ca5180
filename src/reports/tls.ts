import { isIP } from 'node:net';
import { connect } from 'node:tls';
import type { TlsIdentity } from '../generated/schemas.js';

/**
 * The certificate an https target presents, whatever its validity (judging it
 * is T10's check; the certificate only records which one was seen). Never
 * throws: when none can be read, says why.
 */
export async function presentedCertificate(target: string, timeoutMs = 10_000): Promise<TlsIdentity> {
  const url = new URL(target);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(url.port || 443), rejectUnauthorized: false, ...(isIP(host) ? {} : { servername: host }) });
    const done = (identity: TlsIdentity) => {
      socket.destroy();
      resolve(identity);
    };
    socket.setTimeout(timeoutMs, () => done({ unavailable: `no TLS handshake within ${timeoutMs} ms` }));
    socket.once('error', (error) => done({ unavailable: error.message }));
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      if (!cert?.fingerprint256) return done({ unavailable: 'the server presented no certificate' });
      // A name part repeats as an array when the certificate holds it more than once.
      const name = (part: { CN?: string | string[]; O?: string | string[] } | undefined) => [part?.CN ?? part?.O ?? ''].flat().join(', ');
      done({ fingerprint256: cert.fingerprint256, subject: name(cert.subject), issuer: name(cert.issuer), validTo: cert.valid_to });
    });
  });
}
