/** Parses If-Match as a document version: `3`, `"3"` or `W/"3"`. undefined when absent, null when not a version. */
export function parseIfMatch(header: string | string[] | undefined): number | null | undefined {
  if (header === undefined) return undefined;
  const value = (Array.isArray(header) ? header[0] : header)?.trim() ?? '';
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(value);
  return match ? Number(match[1]) : null;
}

export function etag(version: number): string {
  return `"${version}"`;
}
