import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Certificate, RunReport } from '../generated/schemas.js';
import { schemaValidator } from '../validator/schemas.js';
import { canonicalJson, keyIdOf, renderCertificate, sha256, signedBytes } from './certificate.js';
import { REPORT_JSON } from './json.js';

export interface Verification {
  readonly valid: boolean;
  /** Everything wrong; empty when valid. */
  readonly problems: readonly string[];
  /** What a valid certificate attests, and how far its signature can be trusted. */
  readonly facts: readonly string[];
}

/** Reads a file the certificate names, beside it; undefined when it cannot. */
export type FileReader = (name: string) => Promise<Uint8Array | undefined>;

function readPublicKey(pem: string): KeyObject | string {
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === 'ed25519' ? key : `an ${key.asymmetricKeyType} key, not Ed25519`;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The report.json the certificate vouches for must say what the certificate says. */
function disagreements(certificate: Certificate, report: RunReport): string[] {
  const { payload } = certificate;
  const pairs: [string, unknown, unknown][] = [
    ['target', payload.target, report.target],
    ['verdict', payload.verdict, report.verdict],
    ['seed', payload.seed, report.seed],
    ['startedAt', payload.startedAt, report.startedAt],
    ['complete', payload.complete, report.complete],
    ['counts', payload.counts, report.counts],
    ['rules', payload.rules, report.rules.map((r) => ({ id: r.id, level: r.level, status: r.status }))],
    ...(report.decision ? [['decision', payload.decision, report.decision] as [string, unknown, unknown]] : []),
  ];
  return pairs.filter(([, a, b]) => canonicalJson(a) !== canonicalJson(b)).map(([name]) => `the certificate's ${name} differs from ${REPORT_JSON}'s`);
}

/**
 * Checks a certificate offline: its exact bytes, its Ed25519 signature (with
 * the given public key, else the one it carries), and the SHA-256 of every
 * file it names. Any change to any of them makes it invalid.
 */
export async function verifyCertificateBytes(bytes: Uint8Array, readBeside: FileReader, trustedKeyPem?: string): Promise<Verification> {
  const problems: string[] = [];
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    return { valid: false, problems: [`not JSON: ${(error as Error).message}`], facts: [] };
  }
  const validate = schemaValidator('run/certificate.json');
  if (!validate(data)) return { valid: false, problems: [`not a certificate: ${validate.errors?.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ')}`], facts: [] };
  const certificate = data as Certificate;
  if (!Buffer.from(bytes).equals(Buffer.from(renderCertificate(certificate)))) problems.push('the file is not byte for byte in the form the suite writes: it was edited');

  const { payload, signature } = certificate;
  const carried = readPublicKey(signature.publicKey);
  if (typeof carried === 'string') problems.push(`the public key it carries is unusable: ${carried}`);
  else if (keyIdOf(carried) !== signature.keyId) problems.push('its keyId does not match the public key it carries');
  const trusted = trustedKeyPem === undefined ? carried : readPublicKey(trustedKeyPem);
  if (typeof trusted === 'string') problems.push(`the given public key is unusable: ${trusted}`);
  else if (trustedKeyPem !== undefined && keyIdOf(trusted) !== signature.keyId) problems.push(`signed by key ${signature.keyId}, not by the given key ${keyIdOf(trusted)}`);
  if (typeof trusted !== 'string' && !verify(null, signedBytes(payload, signature), trusted, Buffer.from(signature.value, 'base64'))) {
    problems.push('the signature does not match: the certificate was altered or signed with another key');
  }

  let report: RunReport | undefined;
  for (const file of payload.files) {
    const content = await readBeside(file.name);
    if (content === undefined) problems.push(`${file.name}: missing`);
    else if (sha256(content) !== file.sha256) problems.push(`${file.name}: its SHA-256 is not the certified one: the file was altered`);
    else if (file.name === REPORT_JSON) report = JSON.parse(Buffer.from(content).toString('utf8')) as RunReport;
  }
  if (!payload.files.some((file) => file.name === REPORT_JSON)) problems.push(`it does not certify a ${REPORT_JSON}`);
  if (report) problems.push(...disagreements(certificate, report));

  const facts = [
    `${payload.target} was ${payload.verdict} (decision ${payload.decision.action}) under PAME ${payload.profile}, pame-conformance ${payload.suiteVersion}, run ${payload.startedAt}, seed ${payload.seed}${payload.complete ? '' : ', incomplete run'}`,
    ...(payload.tls?.fingerprint256 ? [`TLS certificate SHA-256 ${payload.tls.fingerprint256}`] : []),
    ...payload.files.map((file) => `${file.name} sha256 ${file.sha256}`),
    trustedKeyPem !== undefined
      ? `signed by the given key ${signature.keyId}`
      : signature.ephemeral
        ? `signed by an ephemeral key ${signature.keyId} made for this run: this proves the files are unchanged since, not who ran the suite`
        : `signed by key ${signature.keyId}, taken from the certificate itself: pass --public-key to check who signed it`,
  ];
  return { valid: problems.length === 0, problems, facts };
}

/** Verifies a certificate file against the files beside it. */
export async function verifyCertificate(path: string, trustedKeyPem?: string): Promise<Verification> {
  const bytes = await readFile(path);
  const readBeside: FileReader = (name) => readFile(join(dirname(path), name)).catch(() => undefined);
  return verifyCertificateBytes(bytes, readBeside, trustedKeyPem);
}
