/**
 * A number as ad platforms export it: "1,234", "1.234,50 €", "$1,234.50", "USD 99.90", "2.5%" (→ 0.025), "(12.00)"
 * (→ -12). Blank, "-" and "—" are null (no data); anything else that is not a number is NaN.
 */
export function parseNumber(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  let text = raw.replace(/[\s\u00a0\u202f]/g, '');
  if (text === '' || /^[-–—]$/.test(text) || /^n\/?a$/i.test(text)) return null;
  let sign = 1;
  if (/^\(.*\)$/.test(text)) {
    sign = -1;
    text = text.slice(1, -1);
  }
  const percent = text.endsWith('%');
  // Currency symbols and codes around the number.
  text = text.replace(/%$/, '').replace(/^[^\d.,+-]+|[^\d.,]+$/g, '');
  if (text.startsWith('-')) {
    sign = -sign;
    text = text.slice(1);
  } else if (text.startsWith('+')) text = text.slice(1);
  if (!/^[\d.,']+$/.test(text) || !/\d/.test(text)) return Number.NaN;
  text = text.replace(/'/g, '');
  const lastComma = text.lastIndexOf(',');
  const lastDot = text.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    // Both: the later one is the decimal separator.
    const decimal = lastComma > lastDot ? ',' : '.';
    const thousands = decimal === ',' ? '.' : ',';
    text = text.split(thousands).join('').replace(decimal, '.');
  } else if (lastComma >= 0) {
    // "1,234" and "1,234,567" are thousands; "12,5" is a decimal comma.
    text = /^\d{1,3}(,\d{3})+$/.test(text) ? text.replace(/,/g, '') : text.replace(',', '.');
  } else if ((text.match(/\./g) ?? []).length > 1) {
    text = text.replace(/\./g, '');
  }
  const value = Number(text);
  if (!Number.isFinite(value)) return Number.NaN;
  return sign * (percent ? value / 100 : value);
}
