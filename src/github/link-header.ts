// GitHub pages its lists with a `Link` header (RFC 8288): `<url>; rel="next", <url>; rel="last"`.
// Page numbers and cursors differ between endpoints (releases use `page`, attestations `after`),
// so we follow the URL GitHub gives rather than building one.

/** The URL marked rel="next", or undefined on the last page. */
export function nextPageUrl(link: string | null): string | undefined {
  if (!link) return undefined;
  // [^<>]: a URL never holds either, and a scan that stops at the next "<" keeps a hostile header linear.
  for (const match of link.matchAll(/<([^<>]*)>((?:\s*;\s*[^,;<]+)*)/g)) {
    const [, url, params = ''] = match;
    for (const param of params.split(';')) {
      const [key, raw] = param.split('=', 2).map((s) => s.trim());
      if (key?.toLowerCase() !== 'rel' || raw === undefined) continue;
      // rel may hold several space-separated relations: rel="next last"
      if (raw.replace(/^"|"$/g, '').split(/\s+/).includes('next')) return url;
    }
  }
  return undefined;
}
