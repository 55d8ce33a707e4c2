// The stages a release passes through, each with the predicate types that record it. Attest
// mode uses a preset to turn a tool's output (an SBOM, a scanner report, a VEX document, a policy
// result) into the predicate for that stage; verify mode uses the same table to know which
// predicate types satisfy a stage of require-chain. One table, so both sides agree. Pure.

export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
export const SLSA_PROVENANCE_V02 = 'https://slsa.dev/provenance/v0.2';
export const SPDX_2_3 = 'https://spdx.dev/Document/v2.3';
export const SPDX_2_2 = 'https://spdx.dev/Document/v2.2';
export const SPDX_3 = 'https://spdx.dev/Document/v3';
export const CYCLONEDX_BOM = 'https://cyclonedx.org/bom';
export const VULNS_V02 = 'https://in-toto.io/attestation/vulns/v0.2';
export const VULNS_V01 = 'https://in-toto.io/attestation/vulns/v0.1';
export const COSIGN_VULN_V1 = 'https://cosign.sigstore.dev/attestation/vuln/v1';
export const OPENVEX_V02 = 'https://openvex.dev/ns/v0.2.0';
export const OPENVEX = 'https://openvex.dev/ns';
export const VSA_V1 = 'https://slsa.dev/verification_summary/v1';
export const TEST_RESULT_V01 = 'https://in-toto.io/attestation/test-result/v0.1';
export const HUMAN_REVIEW_V01 = 'https://in-toto.io/attestation/human-review/v0.1';

/**
 * Extension fields this project adds to predicates it did not define. The in-toto parsing rules
 * let producers add fields whose names are URIs, and oblige consumers to ignore fields they do
 * not know, so these never break another verifier. Documented in docs/chains.md.
 */
export const EXTENSION_BASE = 'https://provenance-action.github.io/attestation';
/** The attestations a predicate builds on, for predicates without a field of their own for it. */
export const LINKS_FIELD = `${EXTENSION_BASE}/links/v1`;
/** What the source stage read from GitHub and why it gave each level, in a Source VSA. */
export const SOURCE_CONTROLS_FIELD = `${EXTENSION_BASE}/github-source-controls/v1`;
/** The GitHub deployment context of an approval (environment, actor), in a human-review predicate. */
export const GITHUB_APPROVAL_FIELD = `${EXTENSION_BASE}/github-approval/v1`;
/**
 * Our predicate for "this artifact was deployed" (environment, target, time, run): in-toto has no
 * vetted deployment predicate, so this one is ours, defined in docs/chains.md.
 */
export const DEPLOYMENT_V1 = `${EXTENSION_BASE}/deployment/v1`;

export type StageName = 'source' | 'provenance' | 'sbom' | 'vulns' | 'vex' | 'policy' | 'approval' | 'deployment';

export interface StagePreset {
  name: StageName;
  /** What the stage records, for help texts and the chain graph. */
  title: string;
  /** The predicate types that record this stage; attest mode emits one of them. */
  predicateTypes: readonly string[];
}

export const STAGE_PRESETS: Readonly<Record<StageName, StagePreset>> = {
  // A Source VSA: its subject is the commit, not the artifact; verify joins it to the build by that
  // commit (src/stages/source-vsa.ts). The same predicate type as a policy VSA, told apart by subject.
  source: { name: 'source', title: 'source review', predicateTypes: [VSA_V1] },
  provenance: {
    name: 'provenance',
    title: 'build provenance',
    predicateTypes: [SLSA_PROVENANCE_V1, SLSA_PROVENANCE_V02],
  },
  sbom: { name: 'sbom', title: 'SBOM', predicateTypes: [SPDX_2_3, SPDX_2_2, SPDX_3, CYCLONEDX_BOM] },
  vulns: { name: 'vulns', title: 'vulnerability scan', predicateTypes: [VULNS_V02, VULNS_V01, COSIGN_VULN_V1] },
  vex: { name: 'vex', title: 'VEX', predicateTypes: [OPENVEX_V02, OPENVEX] },
  policy: { name: 'policy', title: 'policy evaluation', predicateTypes: [VSA_V1, TEST_RESULT_V01] },
  approval: { name: 'approval', title: 'approval', predicateTypes: [HUMAN_REVIEW_V01] },
  deployment: { name: 'deployment', title: 'deployment', predicateTypes: [DEPLOYMENT_V1] },
};

export const STAGE_NAMES = Object.keys(STAGE_PRESETS) as readonly StageName[];

export function isStageName(value: string): value is StageName {
  return Object.hasOwn(STAGE_PRESETS, value);
}
