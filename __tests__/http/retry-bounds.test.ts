// The worst-case retry times documented in docs/retries.md, computed from the production settings (no
// timing: arithmetic on DEFAULT_RETRY and DEFAULT_TUNING), must stay under the documented bounds; and the
// test hook may only shorten waits and timeouts, never change the number of attempts.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_RETRY, timingHook, worstCaseMs } from '../../src/http/retry.ts';
import {
  DEFAULT_TUNING,
  sigstoreCallWorstCaseMs,
  sigstoreServiceWorstCaseMs,
} from '../../src/attest/signing/signer.ts';
import { gitHubRequestWorstCaseMs, WRITE_INTERVAL_MS } from '../../src/github/octokit.ts';

const DOC = path.resolve(import.meta.dirname, '../../docs/retries.md');

/** `Key` → documented bound in ms, from the "Worst cases" table (`| \`key\` | what | worst | N s |`). */
async function documentedBounds(): Promise<Map<string, number>> {
  const bounds = new Map<string, number>();
  for (const line of (await readFile(DOC, 'utf8')).split('\n')) {
    const m = /^\| `([a-z-]+)` \|.*\| ([\d.]+) s \|$/.exec(line);
    if (m?.[1] && m[2]) bounds.set(m[1], Number(m[2]) * 1000);
  }
  return bounds;
}

const request = worstCaseMs(DEFAULT_RETRY);
const COMPUTED: Record<string, number> = {
  request,
  // The request, one more attempt after the 401 challenge, and the token service's own request.
  'registry-request-with-login': request + DEFAULT_RETRY.timeoutMs + request,
  // Token, issuer discovery, issuer keys.
  oidc: 3 * request,
  'sigstore-call': sigstoreCallWorstCaseMs(DEFAULT_TUNING),
  fulcio: sigstoreServiceWorstCaseMs(DEFAULT_TUNING),
  tsa: sigstoreServiceWorstCaseMs(DEFAULT_TUNING),
  // A 409 (entry exists) makes each ask two calls: the POST and the GET of the existing entry.
  rekor: sigstoreServiceWorstCaseMs(DEFAULT_TUNING, 2),
  'github-request': gitHubRequestWorstCaseMs(DEFAULT_RETRY),
  // postAttestation: per attempt a look (one listing page) and one POST that plugin-retry does not retry
  // (throttling still may, on a rate limit), spaced from the last write, then a wait.
  'github-attestation':
    DEFAULT_RETRY.attempts *
      (gitHubRequestWorstCaseMs(DEFAULT_RETRY) + gitHubRequestWorstCaseMs(DEFAULT_RETRY, 0) + WRITE_INTERVAL_MS) +
    (DEFAULT_RETRY.attempts - 1) * DEFAULT_RETRY.maxDelayMs,
};

describe('documented retry bounds', () => {
  it('every worst case computed from the settings stays under its documented bound', async () => {
    const bounds = await documentedBounds();
    assert.deepEqual(
      [...bounds.keys()].sort(),
      Object.keys(COMPUTED).sort(),
      'docs/retries.md documents exactly these',
    );
    for (const [key, computed] of Object.entries(COMPUTED)) {
      const documented = bounds.get(key) ?? 0;
      assert.ok(
        computed <= documented,
        `${key}: computed ${computed / 1000} s exceeds the documented ${documented / 1000} s`,
      );
      // A bound far above the settings would be stale too: within a second of the computed figure.
      assert.ok(
        documented - computed < 1000,
        `${key}: documented ${documented / 1000} s, but the settings give ${computed / 1000} s`,
      );
    }
  });

  it('the production settings are what the document describes', () => {
    assert.deepEqual(DEFAULT_RETRY, { attempts: 4, baseDelayMs: 500, maxDelayMs: 10_000, timeoutMs: 15_000 });
    assert.deepEqual(DEFAULT_TUNING, {
      retries: 3,
      minTimeoutMs: 500,
      maxTimeoutMs: 8_000,
      timeoutMs: 30_000,
      garbageAttempts: 2,
    });
  });
});

describe('the test hook', () => {
  it('is off unless set', () => {
    assert.deepEqual(timingHook({}), { backoffScale: 1, timeoutCapMs: Number.POSITIVE_INFINITY });
  });

  it('only shortens: a scale in [0, 1) and a positive cap are taken, anything else is ignored', () => {
    assert.deepEqual(timingHook({ PROVENANCE_TEST_BACKOFF_SCALE: '0.01', PROVENANCE_TEST_TIMEOUT_MS: '1000' }), {
      backoffScale: 0.01,
      timeoutCapMs: 1000,
    });
    assert.equal(timingHook({ PROVENANCE_TEST_BACKOFF_SCALE: '0' }).backoffScale, 0);
    for (const scale of ['1', '2', '-1', 'NaN', 'fast', '', 'Infinity'])
      assert.equal(timingHook({ PROVENANCE_TEST_BACKOFF_SCALE: scale }).backoffScale, 1, `scale "${scale}"`);
    for (const cap of ['0', '-5', 'NaN', 'soon', ''])
      assert.equal(
        timingHook({ PROVENANCE_TEST_TIMEOUT_MS: cap }).timeoutCapMs,
        Number.POSITIVE_INFINITY,
        `cap "${cap}"`,
      );
  });

  it('has no say over the number of attempts', () => {
    const hook = timingHook({ PROVENANCE_TEST_BACKOFF_SCALE: '0.01', PROVENANCE_TEST_TIMEOUT_MS: '1000' });
    assert.deepEqual(Object.keys(hook).sort(), ['backoffScale', 'timeoutCapMs']);
  });
});
