// Shared pieces for the GitHub client's tests: a client wired to the stand-in with quick retries,
// DSSE bundles with chosen subjects and signatures (the API stores them opaquely, so they need not
// verify), a port nothing listens on, and the check that an error is one line without the token.

import assert from 'node:assert/strict';
import type { SerializedBundle } from '@sigstore/bundle';
import { ProvenanceError } from '../../src/common/errors.ts';
import { createGitHubService, type GitHubService } from '../../src/github/index.ts';
import type { RetryPolicy } from '../../src/http/retry.ts';
import type { GitHubApiStandIn } from '../../testkit/github-api/index.ts';

export const REPO = 'octo-org/octo-repo';

// Tiny back-off so fault tests stay fast; the cap still lets a 1 s retry-after be honoured.
export const QUICK: RetryPolicy = { attempts: 3, baseDelayMs: 1, maxDelayMs: 3_000, timeoutMs: 2_000 };

/** A client of the stand-in; writes unspaced (GitHub's 1 s between writes is tested in resilience.test.ts). */
export function client(
  api: Pick<GitHubApiStandIn, 'url' | 'token'>,
  retry: Partial<RetryPolicy> = {},
  writeIntervalMs = 0,
): GitHubService {
  return createGitHubService({
    apiUrl: api.url,
    serverUrl: 'https://github.com',
    token: api.token,
    retry: { ...QUICK, ...retry },
    writeIntervalMs,
  });
}

/**
 * A DSSE-shaped bundle. `seed` sets both the statement (its predicate) and the signature, so two
 * seeds are two attestations; `signatureOnly` re-signs the same statement, as a re-run does.
 */
export function dsseBundle(subjectHex: string, seed: string, signatureOnly?: string): SerializedBundle {
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'app.tar.gz', digest: { sha256: subjectHex } }],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: { run: seed },
  };
  const signatureSeed = signatureOnly ?? seed;
  // Shaped like a bundle, not a valid one (no certificate, no log entry): the API stores it as given.
  const bundle: unknown = {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: {
      publicKey: { hint: '' },
      tlogEntries: [],
      timestampVerificationData: { rfc3161Timestamps: [] },
    },
    dsseEnvelope: {
      payload: Buffer.from(JSON.stringify(statement)).toString('base64'),
      payloadType: 'application/vnd.in-toto+json',
      signatures: [{ sig: Buffer.from(`signature:${signatureSeed}`).toString('base64'), keyid: '' }],
    },
  };
  return bundle as SerializedBundle;
}

export const hex = (c: string): string => c.repeat(64);

export { closedPort } from '../../testkit/http.ts';

/** Runs `fn`, expecting a ProvenanceError; asserts it reads as one line without the token, and returns it. */
export async function failure(fn: () => Promise<unknown>, token: string): Promise<ProvenanceError> {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof ProvenanceError, `expected a ProvenanceError, got ${String(err)}`);
    const line = err.toLine();
    assert.doesNotMatch(line, /\n/, 'one line');
    assert.ok(!line.includes(token), `the token leaked into: ${line}`);
    return err;
  }
  assert.fail('expected a failure');
}
