// Which Sigstore instance signs: the `sigstore` input resolved to concrete service URLs.
// public-good (Fulcio + Rekor) for public repositories, GitHub's instance (Fulcio + RFC 3161
// timestamps, no public log) for private ones, or any instance described by a SigningConfig file.
// A SigningConfig's services must be https (plain http only on loopback): Fulcio is sent the job's
// sigstore-audience token, which anyone on the path could replay at public-good Fulcio.

import { ProvenanceError } from '../../common/errors.ts';
import { isLoopbackURL } from '../../http/loopback.ts';
import type { InstanceChoice } from '../../inputs/read.ts';

export interface SigningPlan {
  instance: 'public-good' | 'github' | 'custom';
  fulcioURL: string;
  tlog: { url: string; majorApiVersion: number } | undefined;
  tsaURL: string | undefined;
  /** A public page showing a log entry, where the instance has one. */
  searchURL: ((logIndex: string) => string) | undefined;
}

export const PUBLIC_GOOD: SigningPlan = {
  instance: 'public-good',
  fulcioURL: 'https://fulcio.sigstore.dev',
  tlog: { url: 'https://rekor.sigstore.dev', majorApiVersion: 1 },
  tsaURL: undefined,
  searchURL: (logIndex) => `https://search.sigstore.dev/?logIndex=${logIndex}`,
};

export const GITHUB_INSTANCE: SigningPlan = {
  instance: 'github',
  fulcioURL: 'https://fulcio.githubapp.com',
  tlog: undefined,
  tsaURL: 'https://timestamp.githubapp.com',
  searchURL: undefined,
};

/**
 * `auto` follows the repository's visibility, as GitHub's attest action does. Only a verified
 * `repository_visibility: public` claim picks the public log: a log entry cannot be withdrawn,
 * so a token without the claim (some GHES versions) or with any other value signs privately.
 */
export function planForChoice(choice: InstanceChoice, visibility: string | undefined): SigningPlan {
  switch (choice) {
    case 'public-good':
      return PUBLIC_GOOD;
    case 'github':
      return GITHUB_INSTANCE;
    case 'auto':
      return visibility === 'public' ? PUBLIC_GOOD : GITHUB_INSTANCE;
  }
}

/** A SigningConfig lists a handful of service URLs: a few KiB. */
export const MAX_SIGNING_CONFIG_BYTES = 1024 * 1024;

const SIGNING_CONFIG_MEDIA_TYPE = 'application/vnd.dev.sigstore.signingconfig.v0.2+json';

interface Service {
  url: string;
  majorApiVersion: number;
  start: number;
  end: number | undefined;
}

/** Parses a Sigstore SigningConfig (v0.2) into a plan, choosing the newest usable service of each kind. */
export function planFromSigningConfig(json: unknown, source: string, now = Date.now()): SigningPlan {
  const fail = (what: string): never => {
    throw new ProvenanceError(
      'SIGSTORE_CONFIG_INVALID',
      `sigstore: ${source} is not a usable SigningConfig: ${what}`,
      `Give "auto", "public-good", "github", or the path of a ${SIGNING_CONFIG_MEDIA_TYPE} file`,
    );
  };
  if (typeof json !== 'object' || json === null) return fail('not a JSON object');
  const config = json as Record<string, unknown>;
  if (config['mediaType'] !== SIGNING_CONFIG_MEDIA_TYPE)
    return fail(`mediaType is ${JSON.stringify(config['mediaType'])}`);
  const pick = (key: string, maxVersion: number): Service | undefined =>
    services(config[key], key, fail, source)
      .filter(
        (s) =>
          s.majorApiVersion >= 1 &&
          s.majorApiVersion <= maxVersion &&
          s.start <= now &&
          (s.end === undefined || s.end > now),
      )
      .sort((a, b) => b.start - a.start)[0];

  const ca = pick('caUrls', 1) ?? fail('no current Fulcio service in caUrls (API v1)');
  const tlog = pick('rekorTlogUrls', 2);
  const tsa = pick('tsaUrls', 1);
  if (!tlog && !tsa) fail('neither a transparency log (rekorTlogUrls) nor a timestamp authority (tsaUrls) is current');
  return {
    instance: 'custom',
    fulcioURL: ca.url,
    tlog: tlog ? { url: tlog.url, majorApiVersion: tlog.majorApiVersion } : undefined,
    tsaURL: tsa?.url,
    searchURL: undefined,
  };
}

/** Refused as the GitHub API settings are: a token must not cross a network in cleartext. */
function cleartext(field: string, url: string, source: string): ProvenanceError {
  return new ProvenanceError(
    'SIGSTORE_CONFIG_INVALID',
    `sigstore: ${source} names ${field} "${url}", plain http to a host that is not loopback, where the job's OIDC token for Sigstore would be sent in cleartext`,
    'Give every Fulcio, Rekor and TSA URL in the SigningConfig as https (plain http only for 127.0.0.1, localhost or [::1])',
  );
}

function services(value: unknown, key: string, fail: (what: string) => never, source: string): Service[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return fail(`${key} is not a list`);
  return value.map((entry: unknown, i): Service => {
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const url = e['url'];
    if (typeof url !== 'string' || !/^https?:\/\//.test(url)) return fail(`${key}[${i}].url is not an http(s) URL`);
    if (url.startsWith('http://') && !isLoopbackURL(url)) throw cleartext(`${key}[${i}].url`, url, source);
    const validFor = (e['validFor'] ?? {}) as Record<string, unknown>;
    const start = typeof validFor['start'] === 'string' ? Date.parse(validFor['start']) : Number.NaN;
    if (Number.isNaN(start)) return fail(`${key}[${i}].validFor.start is missing or not a time`);
    const end = typeof validFor['end'] === 'string' ? Date.parse(validFor['end']) : undefined;
    if (end !== undefined && Number.isNaN(end)) return fail(`${key}[${i}].validFor.end is not a time`);
    // A number, or protobuf-JSON's decimal string; anything else is no version we serve (NaN: the
    // service is skipped). Never Number() of an object: one whose "toString" is not a function throws.
    const version = e['majorApiVersion'] ?? 1;
    const majorApiVersion =
      typeof version === 'number' ? version : typeof version === 'string' ? Number(version) : Number.NaN;
    return { url: url.replace(/\/+$/, ''), majorApiVersion, start, end };
  });
}
