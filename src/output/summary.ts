// The job summary after attesting: what was attested (subjects), by whom (the certificate's
// identity) and where it is anchored (log entry or timestamp). Pure rendering: Markdown for
// GITHUB_STEP_SUMMARY, plain text for the CLI.

import type { Subject } from '../subjects/index.ts';

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

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
const code = (s: string): string => `\`${cell(s).replace(/`/g, "'")}\``;

function digestText(subject: Subject): string {
  const [alg, hex] = Object.entries(subject.digest)[0] ?? ['', ''];
  return `${alg}:${hex}`;
}

export function attestSummaryMarkdown(r: AttestReport): string {
  const anchors = [
    ...r.logEntries.map((e) => (e.url ? `[log index ${e.index}](${e.url})` : `log index ${e.index}`)),
    ...r.timestamps.map((t) => `RFC 3161 timestamp ${t}`),
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
    `| Sigstore instance | ${cell(r.instance)} |`,
    `| Anchored by | ${anchors.length > 0 ? anchors.map(cell).join('<br>') : 'none'} |`,
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
    `attested ${r.subjects.length} subject${r.subjects.length === 1 ? '' : 's'} in ${r.statementCount} statement${r.statementCount === 1 ? '' : 's'} (${r.predicateType})`,
    `signer:  ${r.signer ?? 'unknown'}`,
    `issuer:  ${r.issuer ?? 'unknown'}`,
    `sigstore: ${r.instance}`,
    ...r.logEntries.map((e) => `log entry: ${e.index}${e.url ? ` ${e.url}` : ''}`),
    ...r.timestamps.map((t) => `timestamp: ${t}`),
    `bundle:  ${r.bundleFile}`,
    ...(r.links ?? []).map((l) => `links:   ${l.predicateType} sha256:${l.statementDigest} (${l.source})`),
  ];
  return `${lines.join('\n')}\n`;
}
