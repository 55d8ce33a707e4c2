// Links a reader can follow from the verify summary: the attestation page on GitHub (bundles read
// from the attestations API), the Rekor entry of a verified bundle (public-good only: that is the
// log search.sigstore.dev shows) and the run that signed it (the certificate's Run Invocation
// URI). Every URL is built or matched from a strict pattern of safe characters, so no value from
// a bundle can put its own link or markup into the summary. Pure.

import type { ReportBundle } from './report.types.ts';

/** The public-good Rekor log (rekor.sigstore.dev) by its log id: the only log search.sigstore.dev indexes. */
const PUBLIC_GOOD_REKOR_LOG_ID = 'c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d';

const HOST = String.raw`https://[A-Za-z0-9.-]+(?::\d{1,5})?`;
const NAME = '[A-Za-z0-9._-]+';
/** What src/github/attestation-reads.ts names a bundle read from the attestations API by: its page. */
const ATTESTATION_PAGE = new RegExp(`^${HOST}/${NAME}/${NAME}/attestations/\\d+$`);
const RUN = new RegExp(`^${HOST}/${NAME}/${NAME}/actions/runs/\\d+(?:/attempts/\\d+)?$`);

export interface BundleLink {
  label: 'attestation' | 'Rekor' | 'run';
  url: string;
}

export const rekorSearchURL = (logIndex: string): string => `https://search.sigstore.dev/?logIndex=${logIndex}`;

/** The links a bundle row can show, in reading order. */
export function bundleLinks(b: Pick<ReportBundle, 'source' | 'logEntry' | 'runInvocationURI'>): BundleLink[] {
  const links: BundleLink[] = [];
  if (ATTESTATION_PAGE.test(b.source)) links.push({ label: 'attestation', url: b.source });
  if (b.logEntry != null && b.logEntry.logId === PUBLIC_GOOD_REKOR_LOG_ID && /^\d{1,20}$/.test(b.logEntry.logIndex))
    links.push({ label: 'Rekor', url: rekorSearchURL(b.logEntry.logIndex) });
  if (b.runInvocationURI != null && RUN.test(b.runInvocationURI)) links.push({ label: 'run', url: b.runInvocationURI });
  return links;
}

export const linksMarkdown = (links: readonly BundleLink[]): string =>
  links.map((l) => `[${l.label}](${l.url})`).join(' · ');
