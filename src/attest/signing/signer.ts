// Keyless signing with sigstore-js: an ephemeral key, a Fulcio certificate for the job's
// identity, a DSSE envelope over the statement, and a Rekor entry or RFC 3161 timestamp as the
// plan requires. Failures are translated into one line naming the service that failed.

import {
  DSSEBundleBuilder,
  FulcioSigner,
  RekorWitness,
  TSAWitness,
  type IdentityProvider,
  type Signer,
  type Witness,
} from '@sigstore/sign';
import { bundleToJSON, type SerializedBundle } from '@sigstore/bundle';
import { RFC3161Timestamp } from '@sigstore/core';
import { ProvenanceError, type ErrorCode } from '../../common/errors.ts';
import { backoffWait, pause, requestTimeout } from '../../http/retry.ts';
import { INTOTO_PAYLOAD_TYPE } from '../provenance/statement.ts';
import type { SigningPlan } from './instance.ts';

export interface StatementSigner {
  sign(payload: Buffer): Promise<SerializedBundle>;
}

/**
 * sigstore-js retries 408, 429 (without reading retry-after), 5xx, resets and timeouts itself:
 * `retries` more tries after the first, each limited to `timeoutMs`, waiting minTimeoutMs · 2^k (times
 * 1–2 at random, at most maxTimeoutMs) between them. An answer it cannot read (not JSON; for the TSA,
 * not a timestamp of our signature) it does not retry: we ask again, up to `garbageAttempts` calls in
 * all. Worst-case times are in docs/retries.md.
 */
export interface SignerTuning {
  retries: number;
  minTimeoutMs: number;
  maxTimeoutMs: number;
  timeoutMs: number;
  garbageAttempts: number;
}

export const DEFAULT_TUNING: SignerTuning = {
  retries: 3,
  minTimeoutMs: 500,
  maxTimeoutMs: 8_000,
  timeoutMs: 30_000,
  garbageAttempts: 2,
};

/**
 * The longest one sigstore-js call (one request, retried) can take under `tuning`: every attempt running
 * into the timeout before an answer, the longest waits promise-retry can draw (min(2 · minTimeout · 2^k,
 * maxTimeout)), and one more timeout for reading the body of the answer it ends with (make-fetch-happen
 * times the body separately). docs/retries.md documents these figures; a unit test keeps them in step.
 */
export function sigstoreCallWorstCaseMs(tuning: SignerTuning): number {
  let waits = 0;
  for (let k = 0; k < tuning.retries; k++)
    waits += Math.min(2 * Math.max(tuning.minTimeoutMs, 1) * 2 ** k, tuning.maxTimeoutMs);
  return (tuning.retries + 1) * tuning.timeoutMs + waits + tuning.timeoutMs;
}

/** The longest Fulcio, Rekor or the TSA can hold up one signature: `calls` sigstore-js calls per ask, asked again on garbage. */
export function sigstoreServiceWorstCaseMs(tuning: SignerTuning, calls = 1): number {
  let pauses = 0;
  for (let attempt = 1; attempt < tuning.garbageAttempts; attempt++) pauses += tuning.minTimeoutMs * 2 ** (attempt - 1);
  return tuning.garbageAttempts * calls * sigstoreCallWorstCaseMs(tuning) + pauses;
}

export function sigstoreSigner(
  plan: SigningPlan,
  identity: IdentityProvider,
  tuning: SignerTuning = DEFAULT_TUNING,
): StatementSigner {
  const fetchOptions = {
    retry: {
      retries: tuning.retries,
      factor: 2,
      minTimeout: backoffWait(tuning.minTimeoutMs),
      maxTimeout: backoffWait(tuning.maxTimeoutMs),
      randomize: true,
    },
    timeout: requestTimeout(tuning.timeoutMs),
  };
  const witnesses: Witness[] = [];
  if (plan.tlog) {
    // fetchOnConflict: a re-run that logs the same entry gets Rekor's 409; the existing entry is fetched and used.
    const rekor = new RekorWitness({
      rekorBaseURL: plan.tlog.url,
      majorApiVersion: plan.tlog.majorApiVersion,
      fetchOnConflict: true,
      ...fetchOptions,
    });
    witnesses.push({ testify: (content, key) => againOnGarbage(() => rekor.testify(content, key), tuning) });
  }
  if (plan.tsaURL) {
    const tsa = new TSAWitness({ tsaBaseURL: plan.tsaURL, ...fetchOptions });
    witnesses.push({
      testify: (content) => againOnGarbage(async () => checkedTimestamps(await tsa.testify(content), content), tuning),
    });
  }
  const fulcio = new FulcioSigner({ fulcioBaseURL: plan.fulcioURL, identityProvider: identity, ...fetchOptions });
  const signer: Signer = { sign: (data) => againOnGarbage(() => fulcio.sign(data), tuning) };
  const builder = new DSSEBundleBuilder({ signer, witnesses });
  return {
    async sign(payload) {
      try {
        return bundleToJSON(await builder.create({ data: payload, type: INTOTO_PAYLOAD_TYPE }));
      } catch (err) {
        throw signingError(err, plan);
      }
    },
  };
}

/** A service's answer sigstore-js could not read (FetchError "invalid-json"), or a timestamp that is not one. */
function isGarbage(err: unknown): boolean {
  if (err instanceof TimestampGarbage) return true;
  const cause = typeof err === 'object' && err !== null && 'cause' in err ? err.cause : undefined;
  return typeof cause === 'object' && cause !== null && 'type' in cause && cause.type === 'invalid-json';
}

async function againOnGarbage<T>(call: () => Promise<T>, tuning: SignerTuning): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!isGarbage(err) || attempt >= tuning.garbageAttempts) throw err;
    }
    await pause(tuning.minTimeoutMs * 2 ** (attempt - 1));
  }
}

/** Shaped like sigstore-js' own errors (code + cause), so signingError names the timestamp authority. */
class TimestampGarbage extends Error {
  readonly code = 'TSA_CREATE_TIMESTAMP_ERROR';
  constructor(reason: string) {
    super('error creating timestamp', {
      cause: new Error(`the answer is not an RFC 3161 timestamp of our signature (${reason})`),
    });
  }
}

// sigstore-js stores whatever bytes the TSA answered as the timestamp; garbage would make a bundle that
// never verifies. Each must parse as a timestamp whose message imprint is our signature's digest.
function checkedTimestamps<T extends { rfc3161Timestamps?: { signedTimestamp: Buffer }[] }>(
  material: T,
  content: Parameters<Witness['testify']>[0],
): T {
  const signature =
    content.$case === 'dsseEnvelope' ? content.dsseEnvelope.signatures[0]?.sig : content.messageSignature.signature;
  for (const { signedTimestamp } of material.rfc3161Timestamps ?? []) {
    try {
      RFC3161Timestamp.parse(Buffer.from(signedTimestamp)).tstInfo.verify(Buffer.from(signature ?? Buffer.alloc(0)));
    } catch (err) {
      throw new TimestampGarbage(err instanceof Error ? err.message : String(err));
    }
  }
  return material;
}

const SERVICE_BY_CODE: Record<string, [ErrorCode, string]> = {
  CA_CREATE_SIGNING_CERTIFICATE_ERROR: ['FULCIO_FAILED', 'Fulcio (certificate authority)'],
  TLOG_CREATE_ENTRY_ERROR: ['REKOR_FAILED', 'Rekor (transparency log)'],
  TLOG_FETCH_ENTRY_ERROR: ['REKOR_FAILED', 'Rekor (transparency log)'],
  TSA_CREATE_TIMESTAMP_ERROR: ['TSA_FAILED', 'the timestamp authority'],
};

function urlFor(code: ErrorCode, plan: SigningPlan): string {
  if (code === 'FULCIO_FAILED') return plan.fulcioURL;
  if (code === 'REKOR_FAILED') return plan.tlog?.url ?? '';
  if (code === 'TSA_FAILED') return plan.tsaURL ?? '';
  return '';
}

export function signingError(err: unknown, plan: SigningPlan): ProvenanceError {
  if (err instanceof ProvenanceError) return err;
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  const cause = typeof err === 'object' && err !== null && 'cause' in err ? err.cause : undefined;
  // The identity provider's own ProvenanceError (e.g. no id-token permission) arrives wrapped.
  if (cause instanceof ProvenanceError) return cause;
  const mapped = SERVICE_BY_CODE[code];
  const detail = describeCause(cause ?? err);
  if (mapped) {
    const [ourCode, service] = mapped;
    return new ProvenanceError(
      ourCode,
      `signing failed at ${service} ${urlFor(ourCode, plan)}: ${detail}`,
      'Transient faults were retried; if the service is down, re-run the job later. A 4xx usually means the sigstore input names the wrong instance for this identity',
      { cause: err },
    );
  }
  return new ProvenanceError(
    'SIGNING_FAILED',
    `signing failed: ${detail}`,
    'Re-run the job; if it persists, report it with the debug log',
    { cause: err },
  );
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    // sigstore-js' FetchError: say what happened in our words, without the full URL it repeats.
    const type = 'type' in cause ? cause.type : undefined;
    if (type === 'invalid-json') return 'the answer is not JSON (garbage)';
    if (type === 'request-timeout') return 'no answer before the request timed out';
    const net =
      'code' in cause && typeof cause.code === 'string' && cause.code.startsWith('E') ? ` (${cause.code})` : '';
    if ('statusCode' in cause) {
      // HTTPError's message is "(503) <the service's message>".
      const status = String(cause.statusCode);
      const said = cause.message.startsWith(`(${status}) `) ? cause.message.slice(status.length + 3) : cause.message;
      return `HTTP ${status}: ${said}`.replace(/\s+/g, ' ');
    }
    return `${cause.message}${net}`.replace(/\s+/g, ' ');
  }
  return String(cause);
}
