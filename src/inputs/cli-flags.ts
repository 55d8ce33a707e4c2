// Command-line flags for the CLI: `--name value`, `--name=value`, or a bare `--name` for a
// boolean. Flag names are the action's input names, so documentation carries over. A flag
// given twice accumulates (one value per line), as multi-line inputs do in a workflow.

import { ProvenanceError } from '../errors.ts';

export interface FlagSpec {
  name: string;
  boolean?: boolean;
  help: string;
}

export const ATTEST_FLAGS: readonly FlagSpec[] = [
  { name: 'subject-path', help: 'files to attest: globs, comma/newline lists, !excludes, directories' },
  { name: 'subject-name', help: 'name of a subject given by digest (one per line)' },
  { name: 'subject-digest', help: 'digest of that subject: sha256:<hex>, sha384:, sha512:' },
  { name: 'subject-checksums', help: 'a sha256sum/shasum file, or its text' },
  { name: 'predicate-type', help: 'URI of a custom predicate (default: SLSA provenance v1)' },
  { name: 'predicate', help: 'custom predicate JSON' },
  { name: 'predicate-path', help: 'file holding the custom predicate JSON' },
  { name: 'sigstore', help: 'auto | public-good | github | path of a SigningConfig .json' },
  { name: 'bundle-path', help: 'directory, .json or .jsonl file for the bundles (default: current directory)' },
  { name: 'show-summary', boolean: true, help: 'print a summary to stderr (default true)' },
  { name: 'help', boolean: true, help: 'show this help' },
];

export function parseFlags(args: readonly string[], specs: readonly FlagSpec[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const match = /^--([a-z][a-z0-9-]*)(?:=([\s\S]*))?$/.exec(arg);
    const spec = match ? specs.find((s) => s.name === match[1]) : undefined;
    if (!match || !spec) {
      throw new ProvenanceError('INPUT_INVALID', `unknown argument "${arg}"`, `Valid flags: ${specs.map((s) => `--${s.name}`).join(', ')}`);
    }
    let value = match[2];
    if (value === undefined) {
      const next = args[i + 1];
      if (spec.boolean && (next === undefined || next.startsWith('--') || !/^(true|false)$/.test(next))) value = 'true';
      else if (next === undefined) throw new ProvenanceError('INPUT_INVALID', `--${spec.name} needs a value`, `Write --${spec.name} <value>`);
      else value = args[++i] ?? '';
    }
    const previous = flags.get(spec.name);
    flags.set(spec.name, previous === undefined ? value : `${previous}\n${value}`);
  }
  return flags;
}

export function usage(): string {
  const width = Math.max(...ATTEST_FLAGS.map((f) => f.name.length)) + 4;
  return [
    'usage: provenance attest [flags]',
    '',
    'Signs SLSA v1 provenance (or a custom predicate) for files or digests with Sigstore, keylessly.',
    'Identity: the GitHub Actions job token, or SIGSTORE_ID_TOKEN elsewhere.',
    '',
    ...ATTEST_FLAGS.map((f) => `  --${f.name.padEnd(width)}${f.help}`),
    '',
  ].join('\n');
}
