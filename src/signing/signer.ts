// Keyless signing with sigstore-js: an ephemeral key, a Fulcio certificate for the job's
// identity, a DSSE envelope over the statement, and a Rekor entry or RFC 3161 timestamp as the
// plan requires. Failures are translated into one line naming the service that failed.

import { DSSEBundleBuilder, FulcioSigner, RekorWitness, TSAWitness, type IdentityProvider, type Witness } from '@sigstore/sign';
import { bundleToJSON, type SerializedBundle } from '@sigstore/bundle';
import { ProvenanceError, type ErrorCode } from '../errors.ts';
import { INTOTO_PAYLOAD_TYPE } from '../provenance/statement.ts';
import type { SigningPlan } from './instance.ts';

export interface StatementSigner {
  sign(payload: Buffer): Promise<SerializedBundle>;
}

/** Retries for 408, 429, 5xx and network errors (sigstore-js' own policy), with backoff. */
export interface SignerTuning {
  retries: number;
  minTimeoutMs: number;
  timeoutMs: number;
}

export const DEFAULT_TUNING: SignerTuning = { retries: 3, minTimeoutMs: 500, timeoutMs: 30_000 };

export function sigstoreSigner(plan: SigningPlan, identity: IdentityProvider, tuning: SignerTuning = DEFAULT_TUNING): StatementSigner {
  const fetchOptions = {
    retry: { retries: tuning.retries, factor: 2, minTimeout: tuning.minTimeoutMs, maxTimeout: 8_000, randomize: true },
    timeout: tuning.timeoutMs,
  };
  const witnesses: Witness[] = [];
  if (plan.tlog) {
    // fetchOnConflict: a re-run that logs the same entry gets Rekor's 409; the existing entry is fetched and used.
    witnesses.push(new RekorWitness({ rekorBaseURL: plan.tlog.url, majorApiVersion: plan.tlog.majorApiVersion, fetchOnConflict: true, ...fetchOptions }));
  }
  if (plan.tsaURL) witnesses.push(new TSAWitness({ tsaBaseURL: plan.tsaURL, ...fetchOptions }));
  const builder = new DSSEBundleBuilder({
    signer: new FulcioSigner({ fulcioBaseURL: plan.fulcioURL, identityProvider: identity, ...fetchOptions }),
    witnesses,
  });
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
  return new ProvenanceError('SIGNING_FAILED', `signing failed: ${detail}`, 'Re-run the job; if it persists, report it with the debug log', { cause: err });
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const status = 'statusCode' in cause ? ` (HTTP ${String(cause.statusCode)})` : '';
    const net = 'code' in cause && typeof cause.code === 'string' && cause.code.startsWith('E') ? ` (${cause.code})` : '';
    return `${cause.message}${status}${net}`.replace(/\s+/g, ' ');
  }
  return String(cause);
}
