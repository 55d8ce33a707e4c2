// The job summary after attesting: what was attested (subjects), by whom (the certificate's
// identity) and where it is anchored (log entry or timestamp). Pure rendering: Markdown for
// GITHUB_STEP_SUMMARY, plain text for the CLI. Linked attestations are read, not verified, and
// subject names may come from a downloaded checksums file: every value is shown through
// untrusted() (as a Markdown code span in the summary).

import type { Subject } from '../subjects/index.ts';
import { markdownCode, markdownText, untrusted } from './untrusted.ts';

export interface AttestReport {
  predicateType: string;
  subjects: readonly Subject[];
  statementCount: number;
  bundleFile: string;
  signer: string | undefined;
  issuer: string | undefined;
  instance: string;
  logEntries: readonly { index: string; url: string | undefined }[];
  timestamps: readonly string[];
  /** The attestations this one links to (links input). */
  links?: readonly { statementDigest: string; predicateType: string; source: string }[];
}

/** GitHub caps a step summary at 1 MiB; a release of thousands of files lists the first ones. */
export const SUMMARY_SUBJECT_ROWS = 100;

const code = (s: string): string => markdownCode(s);

function digestText(subject: Subject): string {
  const [alg, hex] = Object.entries(subject.digest)[0] ?? ['', ''];
  return `${alg}:${hex}`;
}

export function attestSummaryMarkdown(r: AttestReport): string {
  // Rekor's answer gives the index: only a decimal one is linked (the URL is the instance's search page for it).
  const anchors = [
    ...r.logEntries.map((e) => (e.url && /^\d+$/.test(e.index) ? `[log index ${e.index}](${e.url})` : `log index ${markdownText(e.index)}`)),
    ...r.timestamps.map((t) => `RFC 3161 timestamp ${markdownText(t)}`),
  ];
  const lines = [
    '## Provenance attested',
    '',
    '| | |',
    '| --- | --- |',
    `| Predicate type | ${code(r.predicateType)} |`,
    `| Subjects | ${r.subjects.length} in ${r.statementCount} signed statement${r.statementCount === 1 ? '' : 's'} |`,
    `| Signer | ${r.signer ? code(r.signer) : 'unknown'} |`,
    `| OIDC issuer | ${r.issuer ? code(r.issuer) : 'unknown'} |`,
    `| Sigstore instance | ${markdownText(r.instance)} |`,
    `| Anchored by | ${anchors.length > 0 ? anchors.join('<br>') : 'none'} |`,
    `| Bundle | ${code(r.bundleFile)} |`,
    ...(r.links && r.links.length > 0 ? [`| Builds on | ${r.links.map((l) => `${code(l.predicateType)} ${code(`sha256:${l.statementDigest.slice(0, 12)}…`)} (${code(l.source)})`).join('<br>')} |`] : []),
    '',
    '| Subject | Digest |',
    '| --- | --- |',
    ...r.subjects.slice(0, SUMMARY_SUBJECT_ROWS).map((s) => `| ${code(s.name)} | ${code(digestText(s))} |`),
  ];
  const rest = r.subjects.length - SUMMARY_SUBJECT_ROWS;
  if (rest > 0) lines.push(`| … and ${rest} more | see the bundle |`);
  return `${lines.join('\n')}\n`;
}

export function attestSummaryText(r: AttestReport): string {
  const lines = [
    `attested ${r.subjects.length} subject${r.subjects.length === 1 ? '' : 's'} in ${r.statementCount} statement${r.statementCount === 1 ? '' : 's'} (${untrusted(r.predicateType)})`,
    `signer:  ${r.signer === undefined ? 'unknown' : untrusted(r.signer)}`,
    `issuer:  ${r.issuer === undefined ? 'unknown' : untrusted(r.issuer)}`,
    `sigstore: ${untrusted(r.instance)}`,
    ...r.logEntries.map((e) => `log entry: ${untrusted(e.index)}${e.url ? ` ${untrusted(e.url)}` : ''}`),
    ...r.timestamps.map((t) => `timestamp: ${untrusted(t)}`),
    `bundle:  ${untrusted(r.bundleFile)}`,
    ...(r.links ?? []).map((l) => `links:   ${untrusted(l.predicateType)} sha256:${untrusted(l.statementDigest)} (${untrusted(l.source)})`),
  ];
  return `${lines.join('\n')}\n`;
}
