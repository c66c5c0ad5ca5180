import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { makeFixtureCertificates } from '../../fixtures/hostile/certificates.js';

describe('fixture certificates', () => {
  // The serial number is random; a non-minimal DER INTEGER used to make
  // OpenSSL refuse about 1 certificate in 256. 400 rounds (1200 certificates)
  // would have hit it with probability above 99 %.
  it('always encode to DER that OpenSSL accepts, whatever the random serial', () => {
    for (let round = 0; round < 400; round++) {
      const certs = makeFixtureCertificates();
      for (const { key, cert } of [certs.authority, certs.selfSigned, certs.expired]) {
        expect(() => createSecureContext({ key, cert })).not.toThrow();
        expect(new X509Certificate(cert).checkPrivateKey(createPrivateKey(key))).toBe(true);
      }
    }
  });

  it('are issued as described: self-signed for 127.0.0.1, expired in 2001 by the fixture authority', () => {
    const certs = makeFixtureCertificates();
    const authority = new X509Certificate(certs.authority.cert);
    const selfSigned = new X509Certificate(certs.selfSigned.cert);
    const expired = new X509Certificate(certs.expired.cert);
    expect(authority.ca).toBe(true);
    expect(selfSigned.checkIssued(selfSigned)).toBe(true);
    expect(selfSigned.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(expired.checkIssued(authority)).toBe(true);
    expect(expired.verify(authority.publicKey)).toBe(true);
    expect(new Date(expired.validTo).getUTCFullYear()).toBe(2001);
  });
});
