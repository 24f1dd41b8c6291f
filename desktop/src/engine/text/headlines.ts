import { TextFileError } from './errors.ts';

export interface HeadlineLine {
  /** 1-based line in the file. */
  line: number;
  text: string;
}

/** Headline variants: one per non-empty line (# starts a comment line). An empty file is an error. */
export function parseHeadlines(content: string, file: string): HeadlineLine[] {
  const lines = content.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const out: HeadlineLine[] = [];
  lines.forEach((raw, i) => {
    const text = raw.trim();
    if (!text || text.startsWith('#')) return;
    // Drawing stops at a NUL: the rest of the line would vanish without a word.
    if (text.includes('\u0000')) {
      throw new TextFileError(file, i + 1, 'the line holds a NUL character (\\u0000); remove it.');
    }
    if (Array.from(text).length > 200) {
      throw new TextFileError(file, i + 1, 'a headline may be at most 200 characters; shorten it or split it.');
    }
    out.push({ line: i + 1, text });
  });
  if (out.length === 0) {
    throw new TextFileError(file, null, 'the file has no headlines: write one headline per line, or remove the file.');
  }
  return out;
}
