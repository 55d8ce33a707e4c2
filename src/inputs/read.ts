// Reading inputs the two modes share: both get their inputs through `get(name)` (INPUT_* variables
// in the action, flags in the CLI), both read true/false switches, and both name a Sigstore
// instance (attest to sign, verify to sign its summary attestations). One reading for each, so
// a value means the same in either mode and its error names the same action.yml key. Pure.

import { ProvenanceError } from '../common/errors.ts';

export type InputReader = (name: string) => string;

/** The `sigstore` input's named instances; `auto` follows the repository's visibility. */
export type InstanceChoice = 'auto' | 'public-good' | 'github';

export type SigstoreSetting = { kind: 'choice'; choice: InstanceChoice } | { kind: 'signing-config'; path: string };

const CHOICES: readonly string[] = ['auto', 'public-good', 'github'];

export function sigstoreSetting(value: string): SigstoreSetting {
  if (CHOICES.includes(value)) return { kind: 'choice', choice: value as InstanceChoice };
  if (value.endsWith('.json')) return { kind: 'signing-config', path: value };
  throw new ProvenanceError(
    'INPUT_INVALID',
    `sigstore: "${value}" is neither auto, public-good, github nor the path of a SigningConfig .json file`,
    'Use "auto" (public-good for public repositories, GitHub\'s instance otherwise) unless you run your own Sigstore',
  );
}

export function booleanInput(name: string, raw: string, fallback: boolean): boolean {
  const v = raw.trim().toLowerCase();
  if (v === '') return fallback;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new ProvenanceError('INPUT_INVALID', `${name}: "${raw}" is not true or false`, `Set ${name} to true or false`);
}
