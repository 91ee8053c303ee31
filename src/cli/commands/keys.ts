import { Command, Option } from 'commander';
import type { SigningAlgorithm } from '../../core/keys/signing-key-record.js';
import { rotateSigningKey, type RotatedKey } from '../../runtime/rotate-signing-key.js';
import { signingKeyStatus, type KeyFileStatus } from '../../runtime/signing-key-status.js';
import { withPortcullis } from '../open.js';
import {
  formatFields,
  formatTable,
  isoTime,
  isoTimeOrNull,
  paint,
  print,
  printJson,
} from '../output.js';

const ALGORITHMS: SigningAlgorithm[] = ['RS256', 'ES256', 'EdDSA'];
const octal = (mode: number | null) => (mode === null ? null : `0${mode.toString(8)}`);
const fileJson = (file: KeyFileStatus | null) =>
  file && { path: file.path, present: file.mode !== null, mode: octal(file.mode) };

function printRotated(rotated: RotatedKey, json: boolean | undefined, verb: string): void {
  if (json) {
    return printJson({
      kid: rotated.kid,
      alg: rotated.alg,
      private_key: rotated.privateKeyPath,
      previous_kid: rotated.previousKid ?? null,
      previous_verifiable_until: isoTimeOrNull(rotated.verifyUntil),
    });
  }
  print(paint('green', `${verb} ${rotated.alg} signing key ${rotated.kid}.`));
  print(formatFields([['Private key', `${rotated.privateKeyPath} (0600)`]]));
  if (rotated.previousKid) {
    print(
      `  The previous key ${rotated.previousKid} stays in the JWKS until ${isoTime(rotated.verifyUntil)},\n` +
        '  so tokens it signed keep working; running servers switch to the new key within seconds.',
    );
  }
}

export function registerKeys(program: Command): void {
  program
    .command('keys')
    .description(
      'Show the signing keys: algorithm, kid, created, file permissions, which key signs',
    )
    .option('--json', 'print the key status as JSON')
    .addHelpText('after', '\nExamples:\n  $ portcullis keys\n  $ portcullis keys --json')
    .action(async (options: { json?: boolean }, command: Command) => {
      const status = await withPortcullis(command, (p) => signingKeyStatus(p));
      const active = status.keys.find((k) => k.status === 'active');
      if (options.json) {
        return printJson({
          source: status.source,
          configured_algorithm: status.configuredAlgorithm,
          private_key: fileJson(status.privateKey),
          public_key: fileJson(status.publicKey),
          local_kid: status.localKid,
          signing_kid: active?.kid ?? null,
          keys: status.keys.map((k) => ({
            kid: k.kid,
            alg: k.alg,
            status: k.status,
            signing: k.status === 'active',
            created_at: isoTimeOrNull(k.createdAt),
            retired_at: isoTimeOrNull(k.retiredAt),
            verify_until: isoTimeOrNull(k.verifyUntil),
          })),
        });
      }
      const fileLine = (file: KeyFileStatus | null, expected: string) => {
        if (!file) return '-';
        if (file.mode === null) return `${file.path} ${paint('red', 'missing')}`;
        const mode = octal(file.mode)!;
        return `${file.path} ${mode === expected ? mode : paint('red', `${mode} (expected ${expected})`)}`;
      };
      print(
        formatFields([
          ['Source', status.source === 'environment' ? 'PORTCULLIS_PRIVATE_KEY' : 'key files'],
          ['Private key', fileLine(status.privateKey, '0600')],
          ['Public key', fileLine(status.publicKey, '0644')],
          ['Key file kid', status.localKid ?? '-'],
          [
            'Signing kid',
            active
              ? active.kid
              : paint('yellow', 'none yet (start the server or run keys:generate)'),
          ],
        ]),
      );
      if (active && status.localKid && status.localKid !== active.kid) {
        print(
          paint(
            'yellow',
            '  The key file is not the active key: this folder is not where the servers run, or keys:rotate ran elsewhere.',
          ),
        );
      }
      print();
      print(
        formatTable(
          status.keys,
          [
            { header: 'KID', value: (k) => k.kid },
            { header: 'ALG', value: (k) => k.alg },
            { header: 'STATUS', value: (k) => (k.status === 'active' ? 'signing' : 'verify only') },
            { header: 'CREATED', value: (k) => isoTime(k.createdAt) },
            {
              header: 'VERIFY UNTIL',
              value: (k) => (k.status === 'active' ? '-' : isoTime(k.verifyUntil)),
            },
          ],
          'No keys in the database yet.',
        ),
      );
    });

  const algorithm = () =>
    new Option(
      '--algorithm <alg>',
      'key algorithm (default: the configured signingAlgorithm)',
    ).choices(ALGORITHMS);

  program
    .command('keys:generate')
    .description(
      'Generate the signing key pair (private 0600, public 0644); refuses to overwrite without --force',
    )
    .option('--force', 'replace existing keys (the old public key keeps verifying its tokens)')
    .addOption(algorithm())
    .option('--json', 'print the new key as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ portcullis keys:generate
  $ portcullis keys:generate --force --algorithm=ES256`,
    )
    .action(
      async (
        options: { force?: boolean; algorithm?: SigningAlgorithm; json?: boolean },
        command: Command,
      ) => {
        const rotated = await withPortcullis(command, (p) =>
          rotateSigningKey(p, options.algorithm, { mustNotExist: !options.force }),
        );
        printRotated(rotated, options.json, 'Generated');
      },
    );

  program
    .command('keys:rotate')
    .description('Make a new signing key; old keys keep verifying until their tokens expire')
    .addOption(algorithm())
    .option('--json', 'print the new key as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ portcullis keys:rotate\n  $ portcullis keys:rotate --algorithm=EdDSA --json',
    )
    .action(async (options: { algorithm?: SigningAlgorithm; json?: boolean }, command: Command) => {
      const rotated = await withPortcullis(command, (p) => rotateSigningKey(p, options.algorithm));
      printRotated(rotated, options.json, 'Rotated: now signing with');
    });
}
