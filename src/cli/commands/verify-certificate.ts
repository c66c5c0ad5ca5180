import { readFile } from 'node:fs/promises';
import type { CommandModule } from 'yargs';
import { pinnedKeysIn, verifyCertificate } from '../../reports/certificate-verify.js';
import { notCarriedOut } from '../not-carried-out.js';

interface VerifyArgs {
  file: string;
  'public-key'?: string;
  keys?: string;
}

/** The certificate holds together but nobody the verifier trusts vouched for it: anyone can re-sign with a fresh key. */
export const EXIT_SIGNER_NOT_PINNED = 4;

export const verifyCertificateCommand: CommandModule<object, VerifyArgs> = {
  command: 'verify-certificate <file>',
  describe: 'Check a certificate.json offline: its Ed25519 signature against a signer you pinned, and the digests of the files beside it (exit 0 valid and signed by a pinned key, 1 invalid, 3 unreadable, 4 integrity only: signer not pinned)',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'the certificate.json' })
      .option('public-key', { type: 'string', describe: "the signer's public key (PEM) you trust" })
      .option('keys', { type: 'string', describe: 'a file of trusted signers: one or more PEM public keys' }) as never,
  handler: async (args) => {
    try {
      const fromKeysFile = args.keys === undefined ? [] : pinnedKeysIn(await readFile(args.keys, 'utf8'));
      if (args.keys !== undefined && fromKeysFile.length === 0) throw new Error(`--keys ${args.keys} holds no PEM public key`);
      const pinned = [...(args['public-key'] === undefined ? [] : [await readFile(args['public-key'], 'utf8')]), ...fromKeysFile];
      const verification = await verifyCertificate(args.file, pinned);
      const scope = verification.scope;
      const facts = verification.facts.map((fact) => `  ${fact}\n`).join('');
      if (!verification.valid) {
        process.stdout.write(`INVALID: ${args.file}\n${verification.problems.map((problem) => `  ${problem}\n`).join('')}`);
        process.exitCode = 1;
      } else if (!verification.pinned) {
        process.stdout.write(`integrity only: signer not pinned${scope ? `, ${scope}` : ''}: ${args.file}\n${facts}`);
        process.exitCode = EXIT_SIGNER_NOT_PINNED;
      } else {
        process.stdout.write(`valid${scope ? `, ${scope}` : ''}: ${args.file}\n${facts}`);
      }
    } catch (error) {
      notCarriedOut('verify-certificate', (error as Error).message);
    }
  },
};
