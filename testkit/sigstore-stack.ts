// A complete local Sigstore instance (Fulcio with an embedded CT log, Rekor v1, an RFC 3161 TSA) on
// 127.0.0.1, for tests and the demo: nothing here reaches the public-good instance. Keys are generated per
// stack, so a bundle from one stack never verifies against another stack's trusted root.
// The certificate, SCT and timestamp signing is @sigstore/mock's, the transparency log our own (rekor/: a
// real Merkle tree, where the mock's log answers every entry as a one-leaf tree); this file serves them over
// real HTTP, adds fault injection, and works around the traps in /work/shared/notes/local-sigstore.md.
import { generateKeyPairSync } from 'node:crypto';
import type { KeyPairKeyObjectResult } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import type { JWTVerifyGetKey } from 'jose';
// Deep imports on purpose: '@sigstore/mock' itself loads nock, which would intercept every HTTP request in
// this process, the signing client's included.
import { fulcioHandler, initializeCA, initializeCTLog } from '@sigstore/mock/dist/fulcio/index.js';
import { initializeTSA, tsaHandler } from '@sigstore/mock/dist/timestamp/index.js';
import type { HandlerFnResult } from '@sigstore/mock/dist/shared.types.js';
import { serve, sendError, sendJSON } from './http.ts';
import type { Fault, LoopbackServer, Route } from './http.ts';
import { createRekorLog } from './rekor/index.ts';
import {
  SIGNING_CONFIG_MEDIA_TYPE,
  TRUSTED_ROOT_MEDIA_TYPE,
  certificateAuthority,
  service,
  transparencyLog,
} from './trust.ts';
import type { SigningConfigJSON, TimeRangeJSON, TrustedRootJSON } from './trust.ts';

export type { Fault } from './http.ts';

// The claim the mock Fulcio copies into the certificate's SAN. Our issuer fills it with
// `https://github.com/<job_workflow_ref>`, which is what real Fulcio puts in the SAN of a GitHub Actions
// certificate.
export const SUBJECT_CLAIM = 'sigstore_subject';

export interface SigstoreStackOptions {
  // Issuers whose tokens Fulcio accepts. When given, Fulcio checks each token's signature against the
  // issuer's JWKS, its expiry, and audience `sigstore`, answering 401 otherwise, as real Fulcio does.
  // When omitted, any well-formed JWT is accepted (the mock's behaviour).
  trustedIssuers?: string[];
  // The issuer advertised in `signingConfig().oidcUrls`.
  oidcIssuer?: string;
  // Override of the claim copied into the SAN.
  subjectClaim?: string;
}

export interface ServiceCounts {
  fulcio: number;
  rekor: number;
  tsa: number;
}

export interface ServiceFaults {
  fulcio: Fault[];
  rekor: Fault[];
  tsa: Fault[];
}

export interface SigstoreStack {
  // Base URLs without a path, e.g. http://127.0.0.1:40123.
  readonly fulcioURL: string;
  readonly rekorURL: string;
  readonly tsaURL: string;
  // `application/vnd.dev.sigstore.trustedroot+json;version=0.1`, protobuf-JSON.
  readonly trustedRoot: TrustedRootJSON;
  signingConfig(options: { tlog: boolean; tsa: boolean }): SigningConfigJSON;
  // FIFO per service: each request pops one fault and, if there was one, answers with it instead.
  readonly faults: ServiceFaults;
  // Every request received, faulted ones included.
  readonly requests: ServiceCounts;
  stop(): Promise<void>;
}

const HOUR = 60 * 60 * 1000;

/** A DER certificate as PEM, as Fulcio's trust bundle lists them. */
function pemCertificate(der: ArrayBufferView): string {
  const base64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${(base64.match(/.{1,64}/g) ?? []).join('\n')}\n-----END CERTIFICATE-----\n`;
}

const ecKeyPair = (namedCurve: 'P-256' | 'P-384'): KeyPairKeyObjectResult => generateKeyPairSync('ec', { namedCurve });

// Adapts a mock handler (`(body: string) => {statusCode, response}`) to our HTTP route.
function routeFor(
  path: string,
  fn: (body: string) => Promise<HandlerFnResult>,
  before?: (body: string) => Promise<void>,
): Route {
  return async (req, body, res) => {
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://x').pathname !== path) {
      return sendError(res, 404, `no route for ${req.method ?? '?'} ${req.url ?? ''}`);
    }
    const text = body.toString('utf8');
    if (before) {
      try {
        await before(text);
      } catch (err) {
        return sendError(res, 401, err instanceof Error ? err.message : String(err));
      }
    }
    const { statusCode, response, contentType } = await fn(text);
    const bytes =
      typeof response === 'string'
        ? Buffer.from(response)
        : Buffer.from(response.buffer, response.byteOffset, response.byteLength);
    res.writeHead(statusCode, { 'content-type': contentType ?? 'text/plain', 'content-length': bytes.length });
    res.end(bytes);
  };
}

// Real Fulcio refuses tokens it cannot verify. Keys are fetched from the issuer's discovery document once.
function tokenVerifier(trustedIssuers: string[]): (body: string) => Promise<void> {
  const keySets = new Map<string, Promise<JWTVerifyGetKey>>();
  const keysFor = (issuer: string): Promise<JWTVerifyGetKey> => {
    let keys = keySets.get(issuer);
    if (!keys) {
      keys = fetch(`${issuer}/.well-known/openid-configuration`)
        .then((r) => r.json() as Promise<{ jwks_uri: string }>)
        .then(({ jwks_uri }) => createRemoteJWKSet(new URL(jwks_uri)));
      keys.catch(() => keySets.delete(issuer));
      keySets.set(issuer, keys);
    }
    return keys;
  };
  return async (body) => {
    const token = (JSON.parse(body) as { credentials?: { oidcIdentityToken?: unknown } }).credentials
      ?.oidcIdentityToken;
    if (typeof token !== 'string') throw new Error('missing credentials.oidcIdentityToken');
    const { iss } = decodeJwt(token);
    if (iss === undefined || !trustedIssuers.includes(iss)) throw new Error(`untrusted issuer ${String(iss)}`);
    await jwtVerify(token, await keysFor(iss), { issuer: iss, audience: 'sigstore' }).catch((err: unknown) => {
      throw new Error(
        `There was an error processing the identity token: ${err instanceof Error ? err.message : String(err)}`,
      );
    });
  };
}

export async function startSigstoreStack(options: SigstoreStackOptions = {}): Promise<SigstoreStack> {
  const faults: ServiceFaults = { fulcio: [], rekor: [], tsa: [] };
  const requests: ServiceCounts = { fulcio: 0, rekor: 0, tsa: 0 };
  // Every validFor.start lies well before anything this stack signs: Rekor floors integratedTime to the
  // second, and certificates' notBefore is truncated too.
  const validFor: TimeRangeJSON = { start: new Date(Date.now() - 24 * HOUR).toISOString() };

  // Key types follow the mock: the CT log and Rekor sign ECDSA P-256/SHA-256; the CA and TSA certificates
  // are ECDSA/SHA-384, issued here from P-384 keys like the public-good instance's.
  const ctKeys = ecKeyPair('P-256');
  const ctlog = await initializeCTLog(ctKeys);
  const ca = await initializeCA(ecKeyPair('P-384'), ctlog);
  // The TSA reads this Date on every request; it is set to a whole second before each one because
  // @sigstore/core accepts a genTime only with exactly three fraction digits or none (the mock otherwise
  // writes one to three, depending on the milliseconds).
  const tsaClock = new Date();
  const tsa = await initializeTSA(ecKeyPair('P-384'), tsaClock);
  const timestamp = tsaHandler(tsa).fn;
  let tsaQueue: Promise<unknown> = Promise.resolve();
  const timestampWholeSecond = (body: string): Promise<HandlerFnResult> => {
    // Serialized so that a concurrent request cannot move the clock while another is being signed.
    const next = tsaQueue.then(() => {
      tsaClock.setTime(Math.floor(Date.now() / 1000) * 1000);
      return timestamp(body);
    });
    tsaQueue = next.catch(() => undefined);
    return next;
  };

  const fulcio = fulcioHandler(ca, { subjectClaim: options.subjectClaim ?? SUBJECT_CLAIM });
  const checkToken = options.trustedIssuers ? tokenVerifier(options.trustedIssuers) : undefined;

  const servers: LoopbackServer[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(servers.map((s) => s.stop()));
  };
  try {
    const signingRoute = routeFor(fulcio.path, fulcio.fn, checkToken);
    // A stand-in shaped by Fulcio's API: @sigstore/mock serves only signing, but attest mode asks Fulcio
    // for its CA chain (`GET /api/v2/trustBundle`, API v2's TrustBundle: `{"chains":[{"certificates":
    // [PEM, …]}]}`) when a sink already holds a bundle with our statement. This CA is one self-signed
    // root that issues every leaf, so its chain is that root alone.
    const trustBundle = { chains: [{ certificates: [pemCertificate(ca.rootCertificate)] }] };
    const fulcioRoute: Route = (req, body, res) =>
      req.method === 'GET' && new URL(req.url ?? '/', 'http://x').pathname === '/api/v2/trustBundle'
        ? sendJSON(res, 200, trustBundle)
        : signingRoute(req, body, res);
    const fulcioServer = await serve(fulcioRoute, {
      faults: () => faults.fulcio,
      onRequest: () => void requests.fulcio++,
    });
    servers.push(fulcioServer);
    const tsaServer = await serve(routeFor('/api/v1/timestamp', timestampWholeSecond), {
      faults: () => faults.tsa,
      onRequest: () => void requests.tsa++,
    });
    servers.push(tsaServer);
    // Rekor's checkpoint origin is its host:port, so the log is created once the port is known.
    let rekorRoute: Route = (_req, _body, res) => sendError(res, 503, 'starting');
    const rekorServer = await serve((req, body, res) => rekorRoute(req, body, res), {
      faults: () => faults.rekor,
      onRequest: () => void requests.rekor++,
    });
    servers.push(rekorServer);
    const rekorKeys = ecKeyPair('P-256');
    const rekor = createRekorLog(rekorServer.url, rekorKeys);
    rekorRoute = rekor.route;

    const trustedRoot: TrustedRootJSON = {
      mediaType: TRUSTED_ROOT_MEDIA_TYPE,
      tlogs: [transparencyLog(rekorServer.url, rekor.publicKey, validFor)],
      certificateAuthorities: [
        certificateAuthority(
          { organization: 'sigstore.mock', commonName: 'sigstore' },
          fulcioServer.url,
          [ca.rootCertificate],
          validFor,
        ),
      ],
      // The CT log lives inside Fulcio here; its log ID is the one the mock writes into every SCT.
      ctlogs: [
        transparencyLog(
          `${fulcioServer.url}/ct`,
          ctlog.publicKey,
          validFor,
          Buffer.from(ctlog.logID.buffer, ctlog.logID.byteOffset, ctlog.logID.byteLength).toString('base64'),
        ),
      ],
      timestampAuthorities: [
        certificateAuthority(
          { organization: 'sigstore.mock', commonName: 'tsa' },
          tsaServer.url,
          [tsa.intCertificate, tsa.rootCertificate],
          validFor,
        ),
      ],
    };

    const signingConfig = ({ tlog, tsa: useTSA }: { tlog: boolean; tsa: boolean }): SigningConfigJSON => ({
      mediaType: SIGNING_CONFIG_MEDIA_TYPE,
      caUrls: [service(fulcioServer.url, validFor)],
      oidcUrls: options.oidcIssuer ? [service(options.oidcIssuer, validFor)] : [],
      rekorTlogUrls: tlog ? [service(rekorServer.url, validFor)] : [],
      // A Service's URL is used as given for the TSA, so it carries the full path.
      tsaUrls: useTSA ? [service(`${tsaServer.url}/api/v1/timestamp`, validFor)] : [],
      ...(tlog ? { rekorTlogConfig: { selector: 'ANY' as const } } : {}),
      ...(useTSA ? { tsaConfig: { selector: 'ANY' as const } } : {}),
    });

    return {
      fulcioURL: fulcioServer.url,
      rekorURL: rekorServer.url,
      tsaURL: tsaServer.url,
      trustedRoot,
      signingConfig,
      faults,
      requests,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
