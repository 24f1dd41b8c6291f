/**
 * A name safe to upload anywhere: ASCII letters, digits, "-", "_" and "." only (accents dropped: "Café" → "Cafe";
 * spaces and anything else → "-"), at most `max` characters, cut only between words, never inside one.
 */
export function asciiName(text: string, max = 120): string {
  const ascii = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '');
  return cutAtWord(ascii, max);
}

/** Cut at the last separator ("-", "_", ".") that leaves at most `max` characters; a single long word is kept whole up to max. */
export function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max + 1);
  const at = Math.max(head.lastIndexOf('-'), head.lastIndexOf('_'), head.lastIndexOf('.'));
  const cut = at > 0 ? text.slice(0, at) : text.slice(0, max);
  return cut.replace(/[-._]+$/, '');
}
