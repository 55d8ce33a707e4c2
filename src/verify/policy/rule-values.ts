// Validation of each policy rule's value, shared by inputs and policy files so both accept the
// same forms and say the same thing when they do not. Each function returns the normalised value
// or throws INPUT_INVALID naming where the value came from (`origin`: the input name, or the rule
// and line of a policy file), the expected form, and an example. Pure.

import { ProvenanceError } from '../../common/errors.ts';
import { parseDuration } from './duration.ts';
import { refPatternProblem } from './ref-glob.ts';

// GitHub logins: letters, digits, hyphens (and `_` for Enterprise Managed Users' shortcodes).
const OWNER = '[A-Za-z0-9][A-Za-z0-9_-]*';
// Repository names: letters, digits, `.`, `_`, `-`; never `.` or `..` alone (checked below).
const REPO = '[A-Za-z0-9._-]+';
const REF_OR_SHA = '(?:refs/\\S+|[0-9a-f]{40})';

function invalid(origin: string, value: string, expected: string, hint: string): ProvenanceError {
  return new ProvenanceError('INPUT_INVALID', `${origin}: "${value}" is not ${expected}`, hint);
}

function dotRepo(ownerRepo: string): boolean {
  const repo = ownerRepo.split('/')[1];
  return repo === '.' || repo === '..';
}

export function repositoryValue(value: string, origin: string): string {
  if (!new RegExp(`^${OWNER}/${REPO}$`).test(value) || dotRepo(value)) {
    throw invalid(
      origin,
      value,
      'OWNER/REPO',
      `Write the repository as OWNER/REPO, e.g. octo-org/octo-repo (no https://github.com/ prefix)`,
    );
  }
  return value;
}

export function ownerValue(value: string, origin: string): string {
  if (!new RegExp(`^${OWNER}$`).test(value)) {
    throw invalid(origin, value, 'a GitHub user or organization name', 'Write only the owner, e.g. octo-org');
  }
  return value;
}

export function signerWorkflowValue(value: string, origin: string): string {
  const m = new RegExp(`^${OWNER}/${REPO}/([^@\\s]+)(@.*)?$`).exec(value);
  const path = m?.[1] ?? '';
  const ref = m?.[2];
  const wellFormed = m !== null && !dotRepo(value) && /\.ya?ml$/.test(path) && !path.split('/').includes('..');
  if (!wellFormed || (ref !== undefined && !new RegExp(`^@${REF_OR_SHA}$`).test(ref))) {
    throw invalid(
      origin,
      value,
      'OWNER/REPO/PATH or OWNER/REPO/PATH@REF naming a workflow file (REF: refs/... or a 40-hex commit SHA)',
      'Write e.g. octo-org/octo-repo/.github/workflows/release.yml, or ...release.yml@refs/tags/v1.2.0 to pin the ref',
    );
  }
  return value;
}

export function builderIdValue(value: string, origin: string): string {
  if (!new RegExp(`^https://[a-z0-9.-]+(?::\\d+)?/${OWNER}/${REPO}/[^@\\s]+\\.ya?ml@${REF_OR_SHA}$`).test(value)) {
    throw invalid(
      origin,
      value,
      'a builder workflow URI pinned by ref or commit: https://HOST/OWNER/REPO/PATH@refs/tags/TAG or ...@<40-hex SHA>',
      'Write e.g. https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.1.0; use signer-workflow to accept any ref',
    );
  }
  return value;
}

export function refPatternValue(value: string, origin: string): string {
  const problem = refPatternProblem(value);
  if (problem !== undefined) {
    throw new ProvenanceError(
      'INPUT_INVALID',
      `${origin}: "${value}" is not a git ref or ref glob: it ${problem}`,
      'Write a full ref, e.g. refs/heads/main or refs/tags/v1.2.0, or a glob: refs/tags/v* (* stays within a segment, ** crosses)',
    );
  }
  return value;
}

export function commitValue(value: string, origin: string): string {
  const lower = value.toLowerCase();
  if (!/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(lower)) {
    throw invalid(
      origin,
      value,
      'a full commit SHA (40 hex digits, or 64 in SHA-256 repositories)',
      'Give the whole commit SHA, e.g. from `git rev-parse HEAD`; abbreviated SHAs are ambiguous',
    );
  }
  return lower;
}

export function issuerValue(value: string, origin: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const loopback = url !== undefined && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url === undefined || !(url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) || /\s/.test(value)) {
    throw invalid(
      origin,
      value,
      'an https issuer URL',
      'Use the OIDC issuer exactly as in the certificate, e.g. https://token.actions.githubusercontent.com',
    );
  }
  return value;
}

export function predicateTypeValue(value: string, origin: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(value)) {
    throw invalid(
      origin,
      value,
      'a predicate type URI',
      `Use e.g. https://slsa.dev/provenance/v1 (the default) or https://slsa.dev/provenance/v0.2`,
    );
  }
  return value;
}

export function durationValue(value: string, origin: string): number {
  const seconds = parseDuration(value);
  if (seconds === undefined) {
    throw invalid(
      origin,
      value,
      'a positive duration',
      'Write a whole number with a unit: 30d, 12h, 90m, 3600s, or plain seconds (3600)',
    );
  }
  return seconds;
}

export function identityValue(value: string, origin: string): string {
  if (value === '' || /\s/.test(value)) {
    throw invalid(
      origin,
      value,
      'a certificate identity (a URI or e-mail address without spaces)',
      'Write the SAN exactly, e.g. https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1.2.0',
    );
  }
  return value;
}

export function regexpValue(value: string, origin: string): string {
  try {
    // Alone first: a pattern that compiles alone has balanced groups, so anchored() wraps all of
    // it. Only the wrapped form compiles for e.g. "a)|(?:b", which would match "a…" and "…b" unanchored.
    new RegExp(value, 'u');
    new RegExp(anchored(value), 'u');
  } catch (err) {
    throw new ProvenanceError(
      'INPUT_INVALID',
      `${origin}: "${value}" is not a valid regular expression (${err instanceof Error ? err.message : String(err)})`,
      'Write a JavaScript regular expression; it must match the whole SAN, e.g. ^https://github\\.com/octo-org/.*$',
    );
  }
  return value;
}

/** The regexp the whole identity must match: a substring match would let any SAN through. */
export function anchored(regexp: string): string {
  return `^(?:${regexp})$`;
}

export function booleanValue(value: string, origin: string): boolean {
  const v = value.toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw invalid(origin, value, 'true or false', `Set it to true or false`);
}
