// A Sigstore instance in memory, shaped like GitHub's (a Fulcio-style CA with a CT log, an RFC 3161
// TSA, no transparency log), from @sigstore/mock's key material: bundles with any certificate
// extensions, timestamp times and faults a test needs, and the trusted root that verifies them.
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
// Deep imports: '@sigstore/mock' itself loads nock, which would patch http for the whole process.
import { initializeCA, initializeCTLog, type CA } from '@sigstore/mock/dist/fulcio/index.js';
import { initializeTSA, type TSA } from '@sigstore/mock/dist/timestamp/index.js';
import type { TrustedRootJSON } from '../../../src/verify/trust/index.ts';

export interface Extension {
  oid: string;
  value: string;
  legacy?: boolean; // raw bytes instead of a DER UTF8String
}

export interface SignOptions {
  san?: string;
  extensions?: Extension[];
}

export interface MockInstance {
  trustedRoot: TrustedRootJSON;
  /** The time the certificate is issued at; the TSA signs `tsaOffsetMs` later. */
  readonly issuedAt: Date;
  signMessage(artifact: Buffer, options?: SignOptions): Promise<Record<string, unknown>>;
  signStatement(statement: object, options?: SignOptions): Promise<Record<string, unknown>>;
}

const b64 = (bytes: ArrayBufferView): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
const der = (key: KeyObject): Buffer => key.export({ type: 'spki', format: 'der' });
const ec = (namedCurve: string): { publicKey: KeyObject; privateKey: KeyObject } =>
  generateKeyPairSync('ec', { namedCurve });

export const SAN = 'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1.2.0';

/**
 * `tsaOffsetMs`: how long after issuance the TSA stamps; a fraction of a second makes the mock
 * write genTime with fewer than three fraction digits (".12Z" for 120 ms).
 */
export async function mockInstance(options: { ctlog?: boolean; tsaOffsetMs?: number } = {}): Promise<MockInstance> {
  // Whole seconds in the near future: certificates encode seconds only, and every certificate the
  // mock creates now is valid from now on.
  const issuedAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000);
  const stampedAt = new Date(issuedAt.getTime() + (options.tsaOffsetMs ?? 2000));
  const ctKeys = ec('P-256');
  const ctlog = options.ctlog === false ? undefined : await initializeCTLog(ctKeys);
  const ca: CA = await initializeCA(ec('P-384'), ctlog, issuedAt);
  const tsa: TSA = await initializeTSA(ec('P-384'), stampedAt);
  const validFor = { start: new Date(Date.now() - 3_600_000).toISOString() };
  const trustedRoot: TrustedRootJSON = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [],
    certificateAuthorities: [
      { uri: 'https://fulcio.mock', certChain: { certificates: [{ rawBytes: b64(ca.rootCertificate) }] }, validFor },
    ],
    ctlogs: [
      {
        baseUrl: 'https://ctfe.mock',
        hashAlgorithm: 'SHA2_256',
        publicKey: {
          rawBytes: der(ctKeys.publicKey).toString('base64'),
          keyDetails: 'PKIX_ECDSA_P256_SHA_256',
          validFor,
        },
        logId: {
          keyId: ctlog ? b64(ctlog.logID) : createHash('sha256').update(der(ctKeys.publicKey)).digest('base64'),
        },
      },
    ],
    timestampAuthorities: [
      {
        uri: 'https://tsa.mock',
        certChain: { certificates: [{ rawBytes: b64(tsa.intCertificate) }, { rawBytes: b64(tsa.rootCertificate) }] },
        validFor,
      },
    ],
  };

  const material = async (signature: Buffer, options: SignOptions): Promise<Record<string, unknown>> => {
    return {
      certificate: { rawBytes: (await leafFor(options)).toString('base64') },
      tlogEntries: [],
      timestampVerificationData: { rfc3161Timestamps: [{ signedTimestamp: b64(await stamp(signature)) }] },
    };
  };
  let signingKey: { publicKey: KeyObject; privateKey: KeyObject } = ec('P-256');
  const leafFor = async (opts: SignOptions): Promise<Buffer> => {
    const cert = await ca.issueCertificate({
      publicKey: new Uint8Array(der(signingKey.publicKey)),
      subjectAltName: opts.san ?? SAN,
      extensions: opts.extensions ?? [],
    });
    return Buffer.from(cert.buffer, cert.byteOffset, cert.byteLength);
  };
  const stamp = (signature: Buffer): Promise<ArrayBufferView> =>
    tsa.timestamp({
      artifactHash: createHash('sha256').update(signature).digest(),
      hashAlgorithmOID: '2.16.840.1.101.3.4.2.1',
      nonce: 1,
      policyOID: '1.2.3.4',
      certReq: false,
    });

  return {
    trustedRoot,
    issuedAt,
    async signMessage(artifact, opts = {}) {
      signingKey = ec('P-256');
      const signature = sign('sha256', artifact, signingKey.privateKey);
      return {
        mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
        verificationMaterial: await material(signature, opts),
        messageSignature: {
          messageDigest: { algorithm: 'SHA2_256', digest: createHash('sha256').update(artifact).digest('base64') },
          signature: signature.toString('base64'),
        },
      };
    },
    async signStatement(statement, opts = {}) {
      signingKey = ec('P-256');
      const payload = Buffer.from(JSON.stringify(statement));
      const type = 'application/vnd.in-toto+json';
      const pae = Buffer.concat([Buffer.from(`DSSEv1 ${type.length} ${type} ${payload.length} `), payload]);
      const signature = sign('sha256', pae, signingKey.privateKey);
      return {
        mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
        verificationMaterial: await material(signature, opts),
        dsseEnvelope: {
          payload: payload.toString('base64'),
          payloadType: type,
          signatures: [{ sig: signature.toString('base64'), keyid: '' }],
        },
      };
    },
  };
}
