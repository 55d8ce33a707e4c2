// Verify mode's policy layer: rules from inputs and policy files, judged against verified
// bundles, with the provenance held to its certificate. Everything here is pure except the
// injected readFile of policyFromInputs.

export {
  DEFAULT_OIDC_ISSUER,
  DEFAULT_PREDICATE_TYPE,
  SLSA_PROVENANCE_V02,
  SLSA_PROVENANCE_V1,
  namesSigner,
  type Policy,
} from './policy.ts';
export { POLICY_INPUT, POLICY_RULES, policyFromInputs } from './inputs.ts';
export { evaluatePolicy } from './evaluate.ts';
export { isProvenance, predicateMatchesCertificate } from './agreement/index.ts';
export { describePolicy } from './describe-policy.ts';
