import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Certificate, CertificatePayload, CertificateSignature, RunReport, TlsIdentity } from '../generated/schemas.js';
import { BADGE_SVG, renderBadge } from './badge.js';
import { BAN_EVIDENCE_JSON, banEvidence } from './ban-evidence.js';
import { EXCHANGES_JSONL, renderExchanges } from './exchanges.js';
import { removeReportFile, writeReportFile } from './files.js';
import { REPORT_JSON } from './json.js';
import { DEFAULT_POLICY, decide } from '../runner/policy.js';
import { presentedCertificate } from './tls.js';

export const CERTIFICATE_JSON = 'certificate.json';
export const PUBLIC_KEY_PEM = 'certificate.pub.pem';

/** The key a certificate is signed with; ephemeral when made for one run because no --signing-key was given. */
export interface Signer {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly ephemeral: boolean;
}

/** Reads an Ed25519 private key (PEM, as `openssl genpkey -algorithm ed25519` writes it), or makes an ephemeral pair without a path. */
export async function loadSigner(path?: string): Promise<Signer> {
  if (path === undefined) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    return { privateKey, publicKey, ephemeral: true };
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(await readFile(path));
  } catch (error) {
    throw new Error(`--signing-key ${path}: not a readable private key (${(error as Error).message})`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`--signing-key ${path}: an ${privateKey.asymmetricKeyType} key; certificates are signed with Ed25519`);
  return { privateKey, publicKey: createPublicKey(privateKey), ephemeral: false };
}

/** JSON with object keys sorted at every depth and no white space: the bytes that are signed. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The form certificate.json is written in (sorted keys, two-space indent); the verifier refuses any other byte. */
export function renderCertificate(certificate: Certificate): string {
  return JSON.stringify(JSON.parse(canonicalJson(certificate)), null, 2) + '\n';
}

export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

export function publicKeyPem(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

/** SHA-256 of the key's SPKI DER: a short name for a public key. */
export function keyIdOf(key: KeyObject): string {
  return sha256(key.export({ type: 'spki', format: 'der' }));
}

/** What is signed: the payload and who signs it; only the signature value itself is left out. */
export function signedBytes(payload: CertificatePayload, signature: Omit<CertificateSignature, 'value'>): Buffer {
  return Buffer.from(canonicalJson({ payload, signature: { ...signature, value: undefined } }));
}

export interface CertifiedContent {
  readonly name: string;
  readonly content: string | Uint8Array;
}

/**
 * The payload for a report: its verdict, decision, per-rule results, exactly
 * what was tested (selection, fuzz budget and seed, waivers, policy, how the
 * runner stood to the Hive), and the digests of the files written beside it.
 */
export function certificatePayload(report: RunReport, files: readonly CertifiedContent[], issuedAt: Date, tls?: TlsIdentity): CertificatePayload {
  const { selection, fuzzRuns, policy, arrangement } = report;
  // A report written by `pame run` records them all; one that does not cannot say what a certificate would vouch for.
  if (!selection || fuzzRuns === undefined || !policy || !arrangement) throw new Error('the report does not record what was tested (selection, fuzz budget, policy, arrangement): no certificate can be issued for it');
  return {
    format: 'pame-certificate/1',
    profile: report.profile,
    suiteVersion: report.suiteVersion,
    target: report.target,
    embedded: report.embedded ?? false,
    insecure: report.insecure ?? false,
    ...(tls ? { tls } : {}),
    issuedAt: issuedAt.toISOString(),
    startedAt: report.startedAt,
    verdict: report.verdict,
    decision: report.decision ?? decide(report.checks, DEFAULT_POLICY, report.complete),
    complete: report.complete,
    selection,
    fuzzRuns,
    ...(report.waivers ? { waivers: report.waivers } : {}),
    policy,
    arrangement,
    seed: report.seed,
    counts: report.counts,
    rules: report.rules.map((rule) => ({ id: rule.id, level: rule.level, status: rule.status })),
    files: files.map((file) => ({ name: file.name, sha256: sha256(file.content) })),
  };
}

export function signCertificate(payload: CertificatePayload, signer: Signer): Certificate {
  const unsigned = { algorithm: 'Ed25519' as const, publicKey: publicKeyPem(signer.publicKey), keyId: keyIdOf(signer.publicKey), ephemeral: signer.ephemeral };
  const value = sign(null, signedBytes(payload, unsigned), signer.privateKey).toString('base64');
  return { payload, signature: { ...unsigned, value } };
}

export interface CertificateOptions {
  readonly signer: Signer;
  readonly issuedAt?: Date;
  /** How long to wait for the target's TLS handshake when it is https. */
  readonly tlsTimeoutMs?: number;
}

/**
 * Writes the files a network can trust, beside report.json (whose exact text
 * is given): exchanges.jsonl, ban-evidence.json for a bannable run, badge.svg
 * for a conformant one, the public key, and certificate.json vouching for them
 * by digest. Files an earlier run left that this run does not earn are removed.
 */
export async function writeCertificate(report: RunReport, reportJson: string, reportDir: string, options: CertificateOptions): Promise<string[]> {
  const certified: CertifiedContent[] = [{ name: REPORT_JSON, content: reportJson }, { name: EXCHANGES_JSONL, content: renderExchanges(report) }];
  const ban = banEvidence(report);
  if (ban) certified.push({ name: BAN_EVIDENCE_JSON, content: JSON.stringify(ban, null, 2) + '\n' });
  else await removeReportFile(reportDir, BAN_EVIDENCE_JSON);
  const written: string[] = [];
  for (const file of certified.slice(1)) written.push(await writeReportFile(reportDir, file.name, file.content));
  const badge = renderBadge(report);
  if (badge) written.push(await writeReportFile(reportDir, BADGE_SVG, badge));
  else await removeReportFile(reportDir, BADGE_SVG);

  const tls = new URL(report.target).protocol === 'https:' ? await presentedCertificate(report.target, options.tlsTimeoutMs) : undefined;
  const certificate = signCertificate(certificatePayload(report, certified, options.issuedAt ?? new Date(), tls), options.signer);
  written.push(await writeReportFile(reportDir, PUBLIC_KEY_PEM, certificate.signature.publicKey));
  written.push(await writeReportFile(reportDir, CERTIFICATE_JSON, renderCertificate(certificate)));
  return written;
}
