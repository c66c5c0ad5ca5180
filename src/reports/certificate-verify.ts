import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Certificate, RunReport } from '../generated/schemas.js';
import { schemaValidator } from '../validator/schemas.js';
import { canonicalJson, keyIdOf, renderCertificate, sha256, signedBytes } from './certificate.js';
import { REPORT_JSON } from './json.js';

export interface Verification {
  /** The bytes, signature and file digests hold. */
  readonly valid: boolean;
  /** The signer is one the verifier pinned (--public-key, --keys); without it a valid certificate proves integrity only. */
  readonly pinned: boolean;
  /** Partial (checks deselected) or incomplete run; undefined for a full run or an unreadable certificate. */
  readonly scope?: string;
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
    ['selection', payload.selection, report.selection],
    ['fuzzRuns', payload.fuzzRuns, report.fuzzRuns],
    ['waivers', payload.waivers, report.waivers],
    ['policy', payload.policy, report.policy],
    ['arrangement', payload.arrangement, report.arrangement],
    ['counts', payload.counts, report.counts],
    ['rules', payload.rules, report.rules.map((r) => ({ id: r.id, level: r.level, status: r.status }))],
    ...(report.decision ? [['decision', payload.decision, report.decision] as [string, unknown, unknown]] : []),
  ];
  return pairs.filter(([, a, b]) => canonicalJson(a) !== canonicalJson(b)).map(([name]) => `the certificate's ${name} differs from ${REPORT_JSON}'s`);
}

const BEGIN_KEY = '-----BEGIN PUBLIC KEY-----';
const END_KEY = '-----END PUBLIC KEY-----';

/** The PEM public keys in a --keys file of trusted signers (one or more blocks, any text between them ignored). */
export function pinnedKeysIn(text: string): string[] {
  return text.split(END_KEY).filter((part) => part.includes(BEGIN_KEY)).map((part) => `${part.slice(part.indexOf(BEGIN_KEY))}${END_KEY}\n`);
}

/** How far a certificate's scope reaches: partial when checks were deselected, incomplete when not carried out in full. */
export function scopeOf(payload: Certificate['payload']): string | undefined {
  if (payload.selection.deselected > 0) return `partial (${payload.selection.deselected} checks of the catalog deselected: only ${JSON.stringify(payload.selection.only)}, skip ${JSON.stringify(payload.selection.skip)})`;
  return payload.complete ? undefined : 'incomplete run (not carried out in full)';
}

/**
 * Checks a certificate offline: its exact bytes, its Ed25519 signature, and the
 * SHA-256 of every file it names; any change to any of them makes it invalid.
 * Given pinned keys, the signer must be one of them; without, the key the
 * certificate carries shows integrity only (anyone can sign with a fresh key).
 */
export async function verifyCertificateBytes(bytes: Uint8Array, readBeside: FileReader, pinnedKeyPems: readonly string[] = []): Promise<Verification> {
  const problems: string[] = [];
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    return { valid: false, pinned: false, problems: [`not JSON: ${(error as Error).message}`], facts: [] };
  }
  const validate = schemaValidator('run/certificate.json');
  if (!validate(data)) return { valid: false, pinned: false, problems: [`not a certificate: ${validate.errors?.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ')}`], facts: [] };
  const certificate = data as Certificate;
  if (!Buffer.from(bytes).equals(Buffer.from(renderCertificate(certificate)))) problems.push('the file is not byte for byte in the form the suite writes: it was edited');

  const { payload, signature } = certificate;
  const carried = readPublicKey(signature.publicKey);
  if (typeof carried === 'string') problems.push(`the public key it carries is unusable: ${carried}`);
  else if (keyIdOf(carried) !== signature.keyId) problems.push('its keyId does not match the public key it carries');
  const pinned = pinnedKeyPems.map(readPublicKey);
  for (const key of pinned) if (typeof key === 'string') problems.push(`a pinned public key is unusable: ${key}`);
  const usable = pinned.filter((key): key is KeyObject => typeof key !== 'string');
  const pinnedSigner = usable.find((key) => keyIdOf(key) === signature.keyId);
  if (pinnedKeyPems.length > 0 && !pinnedSigner) problems.push(`signed by key ${signature.keyId}, which is not among the pinned keys (${usable.map(keyIdOf).join(', ')})`);
  const verifier = pinnedSigner ?? (pinnedKeyPems.length > 0 ? undefined : carried);
  if (verifier !== undefined && typeof verifier !== 'string' && !verify(null, signedBytes(payload, signature), verifier, Buffer.from(signature.value, 'base64'))) {
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

  const scope = scopeOf(payload);
  const facts = [
    `${payload.target} was ${payload.verdict} (decision ${payload.decision.action}) under PAME ${payload.profile}, pame-conformance ${payload.suiteVersion}, run ${payload.startedAt}, seed ${payload.seed}${scope ? `, ${scope}` : ''}`,
    `fuzzing: ${payload.fuzzRuns} runs per property, seed ${payload.seed}`,
    `policy: ${payload.policy.name}${payload.policy.sha256 ? ` (sha256 ${payload.policy.sha256})` : ' (built in)'}`,
    payload.waivers ? `waivers: file sha256 ${payload.waivers.sha256}, applied to ${payload.waivers.applied.length > 0 ? payload.waivers.applied.join(', ') : 'no check'}` : 'waivers: none',
    `peer server: ${payload.arrangement.peer}${payload.arrangement.secondSourceAddress ? `; second source address ${payload.arrangement.secondSourceAddress}` : ''}`,
    ...(payload.tls?.fingerprint256 ? [`TLS certificate SHA-256 ${payload.tls.fingerprint256}`] : []),
    ...payload.files.map((file) => `${file.name} sha256 ${file.sha256}`),
    pinnedSigner
      ? `signed by the pinned key ${signature.keyId}`
      : signature.ephemeral
        ? `signed by an ephemeral key ${signature.keyId} made for this run: this proves the files are unchanged since, not who ran the suite`
        : `signed by key ${signature.keyId}, taken from the certificate itself: pin the signer with --public-key or --keys to know who signed it`,
  ];
  return { valid: problems.length === 0, pinned: pinnedSigner !== undefined, ...(scope ? { scope } : {}), problems, facts };
}

/** Verifies a certificate file against the files beside it and the signers the verifier pinned. */
export async function verifyCertificate(path: string, pinnedKeyPems: readonly string[] = []): Promise<Verification> {
  const bytes = await readFile(path);
  const readBeside: FileReader = (name) => readFile(join(dirname(path), name)).catch(() => undefined);
  return verifyCertificateBytes(bytes, readBeside, pinnedKeyPems);
}
