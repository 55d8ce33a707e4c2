// Size and count limits for what GitHub sends back, so a wrong or hostile answer cannot exhaust memory
// or keep us paging forever. Named here so tests and error messages agree on them.

/** A JSON answer: a page of 100 release assets or 100 attestations with inline bundles stays far below. */
export const MAX_JSON_BYTES = 32 * 1024 * 1024;

/** One bundle file (a .sigstore.json, or JSON Lines of many bundles) downloaded from a release or bundle_url. */
export const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;

/** Pages followed through `Link: rel="next"` before we call the list endless. */
export const MAX_PAGES = 100;

/** Results per page we ask for: GitHub's maximum. */
export const PER_PAGE = 100;

/** Rounds of "upload, meet an existing asset, re-list" before a name that keeps changing is an error. */
export const MAX_ASSET_ROUNDS = 3;
/** Nesting of an inline bundle in an attestations listing: a bundle nests 7 levels. */
export const MAX_BUNDLE_DEPTH = 64;
