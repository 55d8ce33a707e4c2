// Where bundles land and how they are named: `<subject>.sigstore.json` for one subject, a JSON
// Lines file for several (`multiple.intoto.jsonl`, as slsa-github-generator names it), or exactly
// the file the user named.

import path from 'node:path';
import type { SerializedBundle } from '@sigstore/bundle';
import { ProvenanceError } from '../common/errors.ts';

export const MULTIPLE_SUBJECTS_FILE = 'multiple.intoto.jsonl';

export interface BundleTarget {
  file: string;
  format: 'json' | 'jsonl';
}

/** A file-name-safe form of a subject name: image names and paths keep their readable parts. */
export function safeFileStem(subjectName: string): string {
  const stem = subjectName.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '');
  return stem.slice(0, 200) || 'subject';
}

/**
 * `requested` is the bundle-path input already resolved (undefined when not given): a `.jsonl`
 * file, a `.json` file (one bundle only), or a directory.
 */
export function bundleTarget(
  requested: string | undefined,
  defaultDir: string,
  subjectNames: readonly string[],
  bundleCount: number,
): BundleTarget {
  if (requested?.endsWith('.jsonl')) return { file: requested, format: 'jsonl' };
  if (requested?.endsWith('.json')) {
    if (bundleCount > 1) {
      throw new ProvenanceError(
        'INPUT_CONFLICT',
        `bundle-path: "${requested}" names one .json file, but ${bundleCount} statements were signed (more than 1024 subjects are split)`,
        'Give a directory or a .jsonl file as bundle-path',
      );
    }
    return { file: requested, format: 'json' };
  }
  const dir = requested ?? defaultDir;
  const only = subjectNames.length === 1 ? subjectNames[0] : undefined;
  return only === undefined
    ? { file: path.join(dir, MULTIPLE_SUBJECTS_FILE), format: 'jsonl' }
    : { file: path.join(dir, `${safeFileStem(only)}.sigstore.json`), format: 'json' };
}

export function serializeBundles(bundles: readonly SerializedBundle[], format: BundleTarget['format']): string {
  if (format === 'json') return `${JSON.stringify(bundles[0], null, 2)}\n`;
  return bundles.map((b) => `${JSON.stringify(b)}\n`).join('');
}
