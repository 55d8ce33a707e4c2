// Does the provenance agree with its certificate? The certificate is what the signer could not
// forge; the predicate is what the build wrote, and anyone holding a signing identity can write
// anything. So every predicate field with a certificate counterpart is compared, per build type,
// and all disagreements are reported. SLSA provenance we cannot check (another version, an
// unknown build type) fails: we do not trust what we cannot compare. Other predicate types
// (SBOMs, VEX, ...) make no claims about the build and get no checks here.

import type { CertificateFacts, CheckFailure, InTotoStatement } from '../../types.ts';
import { SLSA_PROVENANCE_V02, SLSA_PROVENANCE_V1 } from '../policy.ts';
import { certificateContext } from './certificate-context.ts';
import { ABSENT } from './field-check.ts';
import { ACTIONS_WORKFLOW_V1, githubWorkflowAgreement, SLSA_FRAMEWORK_WORKFLOW_V1 } from './github-workflow.ts';
import { at, shown } from './json-path.ts';
import { GENERATOR_BUILD_TYPES_V02, slsaV02Agreement } from './slsa-v02.ts';

const SLSA_PROVENANCE_PREFIX = 'https://slsa.dev/provenance/';

export function isProvenance(predicateType: string): boolean {
  return predicateType.startsWith(SLSA_PROVENANCE_PREFIX);
}

export function predicateMatchesCertificate(statement: InTotoStatement, cert: CertificateFacts): CheckFailure[] {
  const { predicateType, predicate } = statement;
  if (!isProvenance(predicateType)) return [];
  if (predicateType === SLSA_PROVENANCE_V1) {
    const buildType = at(predicate, 'buildDefinition', 'buildType');
    if (buildType === ACTIONS_WORKFLOW_V1 || buildType === SLSA_FRAMEWORK_WORKFLOW_V1) {
      return githubWorkflowAgreement(predicate, buildType, certificateContext(cert, true));
    }
    return [
      unknownBuildType('buildDefinition.buildType', buildType, [ACTIONS_WORKFLOW_V1, SLSA_FRAMEWORK_WORKFLOW_V1]),
    ];
  }
  if (predicateType === SLSA_PROVENANCE_V02) {
    const buildType = at(predicate, 'buildType');
    if (typeof buildType === 'string' && GENERATOR_BUILD_TYPES_V02.includes(buildType)) {
      return slsaV02Agreement(predicate, certificateContext(cert, false));
    }
    return [unknownBuildType('buildType', buildType, GENERATOR_BUILD_TYPES_V02)];
  }
  return [
    {
      check: 'predicate-matches-certificate',
      expected: `SLSA provenance ${SLSA_PROVENANCE_V1} or ${SLSA_PROVENANCE_V02}, whose fields can be checked against the certificate`,
      found: predicateType,
    },
  ];
}

function unknownBuildType(field: string, found: unknown, known: readonly string[]): CheckFailure {
  return {
    check: 'predicate-matches-certificate',
    expected: `${field} one of ${known.join(', ')} (build types whose fields can be checked against the certificate)`,
    found: found === undefined ? ABSENT : shown(found),
  };
}
