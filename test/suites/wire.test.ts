// T10 needs an https target, which the self-test's plain-http Hives are not:
// here the TLS check meets reference Hives served over https with known
// certificates, made once with openssl for this test (valid 2020 to 2120).
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SecureContextOptions, TlsOptions } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { createHive, type ReferenceHive, TEST_PASSWORD_COST } from '../../src/hive/index.js';
import { probeTls } from '../../src/client/tls.js';
import { wireSuite } from '../../suites/wire/index.js';
import { runChecks, testSettings, TEST_DOMAIN } from '../support/run-checks.js';

/** A test CA, and a certificate it signed for IP 127.0.0.1. */
const TEST_CA = `-----BEGIN CERTIFICATE-----
MIIBYDCCAQegAwIBAgIBATAKBggqhkjOPQQDAjAXMRUwEwYDVQQDDAxwYW1lIHRl
c3QgQ0EwIBcNMjAwMTAxMDAwMDAwWhgPMjEyMDAxMDEwMDAwMDBaMBcxFTATBgNV
BAMMDHBhbWUgdGVzdCBDQTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABDdE1x/E
GuCZGp0VbG7IGL+OkBQqKD7Euzpot8bhVJM9p1dJS9dVgrmdEtw1MlZwPQyk4IfH
tCFMd2ky5PDlMxijQjBAMA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgIE
MB0GA1UdDgQWBBSiERKI9hKDnRXpl69FOW4qup8/PDAKBggqhkjOPQQDAgNHADBE
AiBYas29cjaVYRS9CIXZo6sz/19FCOVF4+ydVnLg0T961gIgFZLB8JHP6Spqdeqq
YO0UWYVCAOkPHfzkbCRZeTBDEKk=
-----END CERTIFICATE-----`;
const FOR_LOOPBACK: SecureContextOptions = {
  cert: `-----BEGIN CERTIFICATE-----
MIIBkDCCATWgAwIBAgIBAjAKBggqhkjOPQQDAjAXMRUwEwYDVQQDDAxwYW1lIHRl
c3QgQ0EwIBcNMjAwMTAxMDAwMDAwWhgPMjEyMDAxMDEwMDAwMDBaMBQxEjAQBgNV
BAMMCTEyNy4wLjAuMTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABLNtIMaUhzTQ
MtbqUL7Z+6EGElX4kHExiSRfh+8Sybx+UfXXvvgXpR3uBCQPnheBqk7UlvtYpXuI
DtwOAohUpHGjczBxMAkGA1UdEwQCMAAwEwYDVR0lBAwwCgYIKwYBBQUHAwEwDwYD
VR0RBAgwBocEfwAAATAdBgNVHQ4EFgQUQCOIaWa0Iuh4WR0kJzDue+DJ4oEwHwYD
VR0jBBgwFoAUohESiPYSg50V6ZevRTluKrqfPzwwCgYIKoZIzj0EAwIDSQAwRgIh
AIXoK6IK9gm4ao8K7uyJVSXFOb5uVRz5rPTN/Ws8X8sDAiEA7yn2KMfDmmF0MCOS
qxkUhnMfF5pOLoEGSQZA59cO+4o=
-----END CERTIFICATE-----`,
  key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgOY31jPDI7NKv/CAf
aNXrIyvlVPAYlFIlA6uLB9wnmL2hRANCAASzbSDGlIc00DLW6lC+2fuhBhJV+JBx
MYkkX4fvEsm8flH11774F6Ud7gQkD54XgapO1Jb7WKV7iA7cDgKIVKRx
-----END PRIVATE KEY-----`,
};
/** Self-signed, for elsewhere.pame.test only. */
const FOR_ELSEWHERE: SecureContextOptions = {
  cert: `-----BEGIN CERTIFICATE-----
MIIBjjCCATSgAwIBAgIBAzAKBggqhkjOPQQDAjAeMRwwGgYDVQQDDBNlbHNld2hl
cmUucGFtZS50ZXN0MCAXDTIwMDEwMTAwMDAwMFoYDzIxMjAwMTAxMDAwMDAwWjAe
MRwwGgYDVQQDDBNlbHNld2hlcmUucGFtZS50ZXN0MFkwEwYHKoZIzj0CAQYIKoZI
zj0DAQcDQgAEYYyNDjDr2at1BApRuazIbxHk4cJgab7FUAtQUF/Qfkg4IPe0Er44
zztY1T7m8LZv1QwBLaKoir/FcPjWFjKeSqNhMF8wCQYDVR0TBAIwADATBgNVHSUE
DDAKBggrBgEFBQcDATAeBgNVHREEFzAVghNlbHNld2hlcmUucGFtZS50ZXN0MB0G
A1UdDgQWBBRjGM7x7GJWSTEv6xSwIAwckMaUMzAKBggqhkjOPQQDAgNIADBFAiAQ
9u9EmGQdsMtGi6xT9TBV30PRX0cq/rFiqO73xph7yQIhAMkVqpN03NXy+x7oZvXR
zkgpVnsC9jgLWVwOZ69pYOmB
-----END CERTIFICATE-----`,
  key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgFMWov/2HTkUXd6lr
f5hlXCasJybn+X8ClaPXZ7akd5ahRANCAARhjI0OMOvZq3UEClG5rMhvEeThwmBp
vsVQC1BQX9B+SDgg97QSvjjPO1jVPubwtm/VDAEtoqiKv8Vw+NYWMp5K
-----END PRIVATE KEY-----`,
};

const TLS_CHECK = wireSuite.checks.find((check) => check.id === 'PAME-WIRE-028')!;

const running: { hive: ReferenceHive; server: Server }[] = [];

async function httpsHive(tls: TlsOptions): Promise<string> {
  const hive = createHive({ passwordCost: TEST_PASSWORD_COST, domain: TEST_DOMAIN });
  const server = createServer(tls, hive.handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  running.push({ hive, server });
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

async function tlsCheckAgainst(url: string) {
  return (await runChecks([TLS_CHECK], testSettings(url, { insecure: true }))).get(TLS_CHECK.id)!;
}

afterEach(async () => {
  for (const { hive, server } of running.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await hive.close();
  }
});

describe('probeTls', () => {
  it('sees TLS 1.2 or later and a certificate valid for the host when its CA is trusted', async () => {
    const url = await httpsHive(FOR_LOOPBACK);
    expect(await probeTls(url, { timeoutMs: 5_000, ca: TEST_CA })).toEqual({ protocol: 'TLSv1.3', authorized: true });
  });

  it('tells a certificate for another host from an untrusted one', async () => {
    const url = await httpsHive(FOR_ELSEWHERE);
    const trusted = await probeTls(url, { timeoutMs: 5_000, ca: String(FOR_ELSEWHERE.cert) });
    expect(trusted).toMatchObject({ authorized: false, authorizationError: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    const untrusted = await probeTls(url, { timeoutMs: 5_000 });
    expect(untrusted).toMatchObject({ authorized: false, authorizationError: expect.stringMatching(/SELF_SIGNED/) });
  });
});

describe('PAME-WIRE-028 against https Hives', () => {
  it('warns (SHOULD, T10) when the certificate is not valid for the host', async () => {
    const result = await tlsCheckAgainst(await httpsHive(FOR_ELSEWHERE));
    expect(result.status).toBe('failed');
    expect(result.failures).toEqual([expect.objectContaining({ rule: 'T10', level: 'SHOULD', message: expect.stringMatching(/not valid for it/) })]);
  });

  it('warns (SHOULD, T10) when the Hive offers nothing newer than TLS 1.1', async () => {
    const url = await httpsHive({ ...FOR_LOOPBACK, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' });
    const result = await tlsCheckAgainst(url);
    expect(result.status).toBe('failed');
    expect(result.failures).toEqual([expect.objectContaining({ rule: 'T10', level: 'SHOULD', message: expect.stringMatching(/no handshake offering TLS 1.2 or later/) })]);
  });

  it('is skipped, saying why, against plain http', async () => {
    const hive = createHive({ passwordCost: TEST_PASSWORD_COST, domain: TEST_DOMAIN });
    const { url } = await hive.listen();
    try {
      const result = (await runChecks([TLS_CHECK], testSettings(url))).get(TLS_CHECK.id)!;
      expect(result).toMatchObject({ status: 'skipped', message: expect.stringMatching(/plain http/) });
    } finally {
      await hive.close();
    }
  });
});
