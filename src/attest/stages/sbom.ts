// The sbom stage: the predicate is the SBOM document itself, unchanged, with the predicate type
// its format has in the in-toto predicate registry, the way GitHub's attest-sbom action does it.
// Verifiers (ours, `gh attestation verify`, policy engines) then read the SBOM straight from the
// predicate. Validation stays light on purpose: enough to name the format and version, because
// the type URI is all a verifier trusts; checking SPDX or CycloneDX schemas is their tools' job.

import { CYCLONEDX_BOM, SPDX_2_2, SPDX_2_3, SPDX_3 } from '../../stages/presets.ts';
import { describe, invalid, own, ownString, quote } from './checks.ts';
import { isObject } from '../../common/json.ts';
import type { StagePredicate } from './stage.types.ts';

const ACCEPTED = 'SPDX 2.2 or 2.3 JSON, SPDX 3 JSON-LD, or CycloneDX JSON';
const HINT =
  'Give predicate-path an SBOM in SPDX JSON (e.g. `syft -o spdx-json`) or CycloneDX JSON (e.g. `syft -o cyclonedx-json`)';

const SPDX2_TYPES = new Map([
  ['SPDX-2.3', SPDX_2_3],
  ['SPDX-2.2', SPDX_2_2],
]);

const SPDX3_CONTEXT_PREFIX = 'https://spdx.org/rdf/3.';

export function sbomPredicate(document: unknown, origin: string): StagePredicate {
  if (!isObject(document)) {
    throw invalid(origin, `expected an SBOM (${ACCEPTED}), found ${describe(document)}`, HINT);
  }
  const predicate = (predicateType: string): StagePredicate => ({ predicateType, predicate: document, warnings: [] });

  if (Object.hasOwn(document, 'spdxVersion')) {
    const version = own(document, 'spdxVersion');
    const type = typeof version === 'string' ? SPDX2_TYPES.get(version) : undefined;
    if (type !== undefined) return predicate(type);
    const found = typeof version === 'string' ? `spdxVersion ${quote(version)}` : `spdxVersion ${describe(version)}`;
    throw invalid(
      origin,
      `expected an SPDX JSON document with spdxVersion "SPDX-2.2" or "SPDX-2.3", found ${found}`,
      'Produce SPDX 2.3 JSON (or SPDX 3 JSON-LD) with your SBOM tool, e.g. `syft -o spdx-json`',
    );
  }

  const context = own(document, '@context');
  const contexts: unknown[] = Array.isArray(context) ? context : [context];
  if (contexts.some((c) => typeof c === 'string' && c.startsWith(SPDX3_CONTEXT_PREFIX))) return predicate(SPDX_3);

  if (Object.hasOwn(document, 'bomFormat')) {
    const format = own(document, 'bomFormat');
    if (format !== 'CycloneDX') {
      throw invalid(origin, `expected bomFormat "CycloneDX", found bomFormat ${describe(format)}`, HINT);
    }
    if (ownString(document, 'specVersion') === undefined) {
      throw invalid(
        origin,
        `expected a CycloneDX document with a specVersion string, found specVersion ${describe(own(document, 'specVersion'))}`,
        'Produce the SBOM with a CycloneDX tool, which writes specVersion (e.g. "1.6")',
      );
    }
    return predicate(CYCLONEDX_BOM);
  }

  throw invalid(origin, `expected an SBOM (${ACCEPTED}), found ${describe(document)}`, HINT);
}
