// The ::error annotations of a failed verify step. GitHub shows 10 error annotations per step and
// drops the rest, so the step's failure line (verdict, first reasons, the fix) comes first, then
// one per failing artifact (each with its own fix) up to ANNOTATION_MAX in all, the last of which
// counts those left out. An image a manifest deploys is annotated on the manifest line too, within
// the same count. Pure: main.ts writes them.

import { FAILURE_FIELD_MAX, untrusted } from '../../output/untrusted.ts';
import type { ImageUse } from '../sources/manifests.ts';
import { failingArtifacts } from './report-failures.ts';
import { failureLine } from './report.ts';
import type { VerifyReport } from './report.types.ts';

/** GitHub shows at most this many error annotations of one step. */
export const ANNOTATION_MAX = 10;

/** Bundles quoted in one artifact's annotation; the rest are in the summary and the JSON report. */
const REASONS_PER_ANNOTATION = 3;

export interface Annotation {
  message: string;
  title?: string;
  file?: string;
  startLine?: number;
}

export interface VerifyAnnotations {
  /** The step's failure line (for setFailed), written first. */
  failure: string;
  /** Per-artifact annotations after it: at most ANNOTATION_MAX - 1, the last one counting the rest. */
  artifacts: Annotation[];
}

export function verifyAnnotations(r: VerifyReport, uses: readonly ImageUse[]): VerifyAnnotations | undefined {
  if (r.verified) return undefined;
  const all: Annotation[] = [];
  const byName = new Map(r.artifacts.map((a) => [a.name, a]));
  for (const p of failingArtifacts(r)) {
    const artifact = byName.get(p.name);
    const reasons = (artifact?.bundles ?? []).flatMap((b) =>
      b.failures.map(
        (f) =>
          `${untrusted(b.source)}: ${f.check}: expected ${untrusted(f.expected, FAILURE_FIELD_MAX)}, found ${untrusted(f.found, FAILURE_FIELD_MAX)}`,
      ),
    );
    const shown = reasons.slice(0, REASONS_PER_ANNOTATION);
    if (reasons.length > shown.length)
      shown.push(`… and ${reasons.length - shown.length} more reason(s) in the job summary and the JSON report`);
    // Names, sources and what was found come from the bundles: one line each, through untrusted();
    // @actions/core then escapes the message and properties as the runner expects.
    const message = [`${p.advice.what}. Fix: ${p.advice.fix}.`, ...shown].join('\n');
    const title = `Provenance verification failed: ${untrusted(p.name)}${p.stage === undefined ? '' : ` (stage ${untrusted(p.stage)})`}`;
    all.push({ message, title });
    for (const use of uses.filter((u) => u.image === p.name && u.file !== ''))
      all.push({ message, title, file: use.file, startLine: use.line });
  }
  const room = ANNOTATION_MAX - 1;
  if (all.length <= room) return { failure: failureLine(r), artifacts: all };
  const kept = all.slice(0, room - 1);
  const rest = all.length - kept.length;
  kept.push({
    title: 'More verification failures',
    message: `${rest} more failure annotation(s) left out (GitHub shows ${ANNOTATION_MAX} per step): every failing artifact, its reason and its fix are in the job summary and the JSON report.`,
  });
  return { failure: failureLine(r), artifacts: kept };
}
