import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BanEvidence, Certificate, RunReport } from '../../src/generated/schemas.js';
import { CERTIFICATE_JSON, PUBLIC_KEY_PEM, canonicalJson, loadSigner, publicKeyPem, writeCertificate } from '../../src/reports/certificate.js';
import { verifyCertificate, verifyCertificateBytes } from '../../src/reports/certificate-verify.js';
import { recordedExchanges } from '../../src/reports/exchanges.js';
import { renderJsonReport } from '../../src/reports/json.js';
import { presentedCertificate } from '../../src/reports/tls.js';
import { schemaValidator } from '../../src/validator/schemas.js';
import { passingReport, sampleReport } from './sample-report.js';

async function writeKey(pem: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'pame-key-')), 'key.pem');
  await writeFile(path, pem);
  return path;
}

/** Writes report.json and the certificate bundle into a fresh directory, as `pame run` does. */
async function certify(report: RunReport, signingKey?: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pame-cert-'));
  const reportJson = renderJsonReport(report);
  await writeFile(join(dir, 'report.json'), reportJson);
  await writeCertificate(report, reportJson, dir, { signer: await loadSigner(signingKey), issuedAt: new Date('2026-01-02T04:00:00Z') });
  return dir;
}

async function flipByte(path: string, at: number): Promise<void> {
  const bytes = await readFile(path);
  bytes[at] = bytes[at]! ^ 0x01;
  await writeFile(path, bytes);
}

describe('the signed certificate', () => {
  const keys = generateKeyPairSync('ed25519');
  const privatePem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = publicKeyPem(keys.publicKey);
  let keyPath: string;
  let dir: string;
  beforeAll(async () => {
    keyPath = await writeKey(privatePem);
    dir = await certify(sampleReport(), keyPath);
  });

  it('is valid against the signer\'s public key, and says what it attests', async () => {
    const verification = await verifyCertificate(join(dir, CERTIFICATE_JSON), [publicPem]);
    expect(verification.problems).toEqual([]);
    expect(verification.valid).toBe(true);
    expect(verification.facts[0]).toBe('http://127.0.0.1:8080/ was bannable (decision ban) under PAME 0.2.1, pame-conformance 0.1.0, run 2026-01-02T03:04:05.000Z, seed 42, incomplete run (not carried out in full)');
  });

  it('holds the profile, target, date, verdict, per-rule results, suite version, seed and file digests, and matches its schema', async () => {
    const certificate = JSON.parse(await readFile(join(dir, CERTIFICATE_JSON), 'utf8')) as Certificate;
    expect(schemaValidator('run/certificate.json')(certificate)).toBe(true);
    const report = sampleReport();
    expect(certificate.payload).toMatchObject({ profile: '0.2.1', target: report.target, issuedAt: '2026-01-02T04:00:00.000Z', verdict: 'bannable', suiteVersion: '0.1.0', seed: 42 });
    expect(certificate.payload.rules).toEqual(report.rules.map((r) => ({ id: r.id, level: r.level, status: r.status })));
    expect(certificate.payload.files.map((f) => f.name)).toEqual(['report.json', 'exchanges.jsonl', 'ban-evidence.json']);
    expect(certificate.payload.tls).toBeUndefined();
    expect(certificate.signature.ephemeral).toBe(false);
    expect(await readFile(join(dir, PUBLIC_KEY_PEM), 'utf8')).toBe(publicPem);
  });

  it('fails when any single byte of the certificate changes', async () => {
    const bytes = await readFile(join(dir, CERTIFICATE_JSON));
    const readBeside = (name: string) => readFile(join(dir, name)).catch(() => undefined);
    const survivors: number[] = [];
    for (let at = 0; at < bytes.length; at++) {
      const tampered = Buffer.from(bytes);
      tampered[at] = tampered[at]! ^ 0x01;
      if ((await verifyCertificateBytes(tampered, readBeside, [publicPem])).valid) survivors.push(at);
    }
    expect(survivors).toEqual([]);
  });

  it('fails when a byte of report.json, exchanges.jsonl or ban-evidence.json changes', async () => {
    for (const name of ['report.json', 'exchanges.jsonl', 'ban-evidence.json']) {
      const copy = await certify(sampleReport(), keyPath);
      await flipByte(join(copy, name), 100);
      const verification = await verifyCertificate(join(copy, CERTIFICATE_JSON), [publicPem]);
      expect(verification.valid, name).toBe(false);
      expect(verification.problems, name).toContain(`${name}: its SHA-256 is not the certified one: the file was altered`);
    }
  });

  it('fails against another key, even when re-signed consistently with that key', async () => {
    const other = publicKeyPem(generateKeyPairSync('ed25519').publicKey);
    const verification = await verifyCertificate(join(dir, CERTIFICATE_JSON), [other]);
    expect(verification.valid).toBe(false);
    expect(verification.problems.join('\n')).toMatch(/not among the pinned keys/);
    const forged = await certify(sampleReport());
    expect((await verifyCertificate(join(forged, CERTIFICATE_JSON), [publicPem])).valid).toBe(false);
  });

  it('fails when a file it names is missing', async () => {
    const copy = await certify(sampleReport(), keyPath);
    await rm(join(copy, 'exchanges.jsonl'));
    expect((await verifyCertificate(join(copy, CERTIFICATE_JSON), [publicPem])).problems).toContain('exchanges.jsonl: missing');
  });

  it('without --signing-key is signed by an ephemeral key it carries, and says that proves integrity only', async () => {
    const copy = await certify(passingReport());
    const verification = await verifyCertificate(join(copy, CERTIFICATE_JSON));
    expect(verification.valid).toBe(true);
    expect(verification.pinned).toBe(false);
    expect(verification.facts.at(-1)).toMatch(/ephemeral key .* not who ran the suite/);
    await flipByte(join(copy, 'report.json'), 50);
    expect((await verifyCertificate(join(copy, CERTIFICATE_JSON))).valid).toBe(false);
  });

  it('refuses a signing key that is not Ed25519', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await expect(loadSigner(await writeKey(rsa))).rejects.toThrow(/rsa key; certificates are signed with Ed25519/);
    await expect(loadSigner(await writeKey('not a key'))).rejects.toThrow(/not a readable private key/);
  });

  it('signs canonical JSON: sorted keys at every depth, no white space', () => {
    expect(canonicalJson({ b: [{ z: 1, a: 'x' }], a: null, c: undefined })).toBe('{"a":null,"b":[{"a":"x","z":1}]}');
  });
});

describe('the files beside the certificate', () => {
  it('exchanges.jsonl records every failure\'s exchange, or the last exchange of a check that did not fail', async () => {
    const report = sampleReport();
    const dir = await certify(report);
    const lines = (await readFile(join(dir, 'exchanges.jsonl'), 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as { check: string; role: string; rule?: string });
    expect(lines.map((l) => [l.check, l.role, l.rule])).toEqual([
      ['PAME-PING-001', 'last', undefined],
      ['PAME-TRN-004', 'failure', 'T4'],
      ['PAME-PRIV-001', 'failure', 'F2'],
      ['PAME-PRIV-001', 'failure', 'F3'],
    ]);
    expect(recordedExchanges(report)).toHaveLength(4);
  });

  it('ban-evidence.json lists exactly the failures at level F, with their evidence', async () => {
    const dir = await certify(sampleReport());
    const ban = JSON.parse(await readFile(join(dir, 'ban-evidence.json'), 'utf8')) as BanEvidence;
    expect(schemaValidator('run/ban-evidence.json')(ban)).toBe(true);
    expect(ban.failures.map((f) => [f.check, f.rule])).toEqual([['PAME-PRIV-001', 'F2'], ['PAME-PRIV-001', 'F3']]);
    expect(ban.failures.every((f) => f.evidence && f.curl && f.summary.length > 0)).toBe(true);
  });

  it('a conformant run gets a badge and no ban evidence; a later bannable run in the same directory removes the badge', async () => {
    const dir = await certify(passingReport());
    const badge = await readFile(join(dir, 'badge.svg'), 'utf8');
    expect(badge).toMatch(/^<svg [^>]*aria-label="PAME 0.2.1: conformant"/);
    await expect(readFile(join(dir, 'ban-evidence.json'))).rejects.toThrow();
    const report = sampleReport();
    const reportJson = renderJsonReport(report);
    await writeFile(join(dir, 'report.json'), reportJson);
    await writeCertificate(report, reportJson, dir, { signer: await loadSigner() });
    await expect(readFile(join(dir, 'badge.svg'))).rejects.toThrow();
    expect((await verifyCertificate(join(dir, CERTIFICATE_JSON))).valid).toBe(true);
  });
});

describe('the TLS fingerprint', () => {
  it('is the SHA-256 of the certificate an https target presents, and is recorded in the certificate', async () => {
    const fixtures = new URL('./fixtures/', import.meta.url);
    const cert = await readFile(new URL('tls-cert.pem', fixtures));
    const server = createServer({ cert, key: await readFile(new URL('tls-key.pem', fixtures)) }, (_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const target = `https://127.0.0.1:${port}/`;
      const expected = new X509Certificate(cert).fingerprint256;
      expect(await presentedCertificate(target)).toMatchObject({ fingerprint256: expected, subject: 'hive.pame.test' });
      const dir = await certify({ ...passingReport(), target });
      const certificate = JSON.parse(await readFile(join(dir, CERTIFICATE_JSON), 'utf8')) as Certificate;
      expect(certificate.payload.tls?.fingerprint256).toBe(expected);
      expect((await verifyCertificate(join(dir, CERTIFICATE_JSON))).facts).toContain(`TLS certificate SHA-256 ${expected}`);
    } finally {
      server.close();
    }
  });

  it('says why when no certificate can be read', async () => {
    expect((await presentedCertificate('https://127.0.0.1:1/')).unavailable).toMatch(/ECONNREFUSED/);
  });
});

describe('what a certificate says was tested', () => {
  it('records the selection, fuzz budget and seed, waivers (ids and file digest), policy (name and digest), arrangement, profile and suite version', async () => {
    const waivers = { sha256: 'a'.repeat(64), applied: ['PAME-MSG-002'] };
    const policy = { name: 'test network', sha256: 'b'.repeat(64) };
    const selection = { only: ['PAME-PING-001'], skip: [], selected: 1, deselected: 150 };
    const report = sampleReport(undefined, { waivers, policy, selection, fuzzRuns: 7, complete: false });
    const dir = await certify(report);
    const { payload } = JSON.parse(await readFile(join(dir, CERTIFICATE_JSON), 'utf8')) as Certificate;
    expect(payload).toMatchObject({ profile: '0.2.1', suiteVersion: '0.1.0', seed: 42, fuzzRuns: 7, selection, waivers, policy, arrangement: { peer: 'reachable', secondSourceAddress: '127.0.0.2' }, complete: false });
    const verification = await verifyCertificate(join(dir, CERTIFICATE_JSON));
    expect(verification.valid).toBe(true);
    expect(verification.scope).toMatch(/^partial \(150 checks of the catalog deselected/);
  });

  it('refuses to certify a report that does not record what was tested', async () => {
    const { selection: _dropped, ...report } = sampleReport();
    await expect(certify(report as RunReport)).rejects.toThrow(/does not record what was tested/);
  });
});

describe('pame verify-certificate', () => {
  async function verifyCli(args: Record<string, string | undefined>): Promise<{ exitCode: number; out: string }> {
    const { verifyCertificateCommand } = await import('../../src/cli/commands/verify-certificate.js');
    const out: string[] = [];
    const write = process.stdout.write;
    const before = process.exitCode;
    process.exitCode = 0;
    process.stdout.write = ((chunk: string) => out.push(chunk) > 0) as typeof process.stdout.write;
    try {
      await (verifyCertificateCommand.handler as (a: unknown) => Promise<void>)(args);
      return { exitCode: Number(process.exitCode ?? 0), out: out.join('') };
    } finally {
      process.stdout.write = write;
      process.exitCode = before;
    }
  }

  const keys = generateKeyPairSync('ed25519');
  const privatePem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = publicKeyPem(keys.publicKey);

  it('exits 0 only against a pinned key (--public-key or --keys); a forger\'s re-signed certificate is integrity only, exit 4', async () => {
    const dir = await certify(passingReport(), await writeKey(privatePem));
    const file = join(dir, CERTIFICATE_JSON);
    const keysFile = await writeKey(`# the network's signers\n${publicKeyPem(generateKeyPairSync('ed25519').publicKey)}${publicPem}`);
    expect(await verifyCli({ file, 'public-key': await writeKey(publicPem) })).toMatchObject({ exitCode: 0, out: expect.stringMatching(/^valid: /) });
    expect(await verifyCli({ file, keys: keysFile })).toMatchObject({ exitCode: 0, out: expect.stringMatching(/^valid: /) });
    expect(await verifyCli({ file })).toMatchObject({ exitCode: 4, out: expect.stringMatching(/^integrity only: signer not pinned: /) });
    // The forger: edits the verdict and signs afresh with a key of their own.
    const forged = await certify({ ...sampleReport(), verdict: 'conformant' });
    expect(await verifyCli({ file: join(forged, CERTIFICATE_JSON) })).toMatchObject({ exitCode: 4 });
    expect(await verifyCli({ file: join(forged, CERTIFICATE_JSON), keys: keysFile })).toMatchObject({ exitCode: 1, out: expect.stringMatching(/^INVALID: /) });
  });

  it('says partial in its first line for a run with checks deselected', async () => {
    const dir = await certify(sampleReport(undefined, { selection: { only: ['PAME-PING'], skip: [], selected: 3, deselected: 148 }, complete: false }), await writeKey(privatePem));
    const { exitCode, out } = await verifyCli({ file: join(dir, CERTIFICATE_JSON), 'public-key': await writeKey(publicPem) });
    expect(exitCode).toBe(0);
    expect(out.split('\n')[0]).toMatch(/^valid, partial \(148 checks of the catalog deselected/);
  });
});
