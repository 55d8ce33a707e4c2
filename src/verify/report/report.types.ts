// The verify report's shape, shared by what builds it (report.ts) and what renders it
// (report.ts, report-markdown.ts, report-failures.ts, annotations.ts, vsa.ts), so renderers need
// not import each other for a type. The JSON report file is exactly this object.

import type { ChainVerdict } from '../chain/types.ts';
import type { ContentResult } from '../policy/cel/types.ts';
import type { CheckFailure } from '../types.ts';

export interface ReportBundle {
  source: string;
  signer: string | null;
  runnerEnvironment: string | null;
  /**
   * A verified bundle's certificate: Build Signer URI (.9) and Digest (.10), Source Repository URI
   * (.12), what a summary attestation's Build L3 rests on (reports written before they were added have none).
   */
  buildSignerURI?: string | null;
  buildSignerDigest?: string | null;
  sourceRepositoryURI?: string | null;
  predicateType: string | null;
  /** sha256 hex of the signed statement of a verified bundle (null otherwise), how it is cited. */
  attestation: string | null;
  /** A verified bundle's transparency-log entry (index, log id as hex), for a link to it (reports written before it was added have none). */
  logEntry?: { logIndex: string; logId: string } | null;
  /** The run that signed a verified bundle: the certificate's Run Invocation URI. */
  runInvocationURI?: string | null;
  result: 'PASS' | 'FAIL';
  failures: CheckFailure[];
  /** With a `cel` policy: each expression's result on this bundle (text, true/false/error, message). */
  content?: ContentResult[];
}

export interface ReportArtifact {
  name: string;
  digest: Record<string, string>;
  result: 'PASS' | 'FAIL';
  bundles: ReportBundle[];
}

export interface VerifyReport {
  verified: boolean;
  time: string;
  trustedRoot: string;
  policy: Record<string, unknown>;
  artifacts: ReportArtifact[];
  /** Bundles that list none of the artifacts (or could not be read at all). */
  unusedBundles: { source: string; failure: CheckFailure | null }[];
  /** With require-chain: each artifact's chain, stage by stage (then `artifacts` lists one entry per stage). */
  chains?: ChainVerdict[];
}
