import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The renderer runs in a browser page under a strict CSP: it may import only these packages (no node:, no core).
const ALLOWED = [
  /^\.{1,2}\//,
  /^@vmp\/shared\/(api|errors|media|placements)$/,
  /^react$/,
  /^react-dom(\/client)?$/,
  /^zustand$/,
  /^@tanstack\/react-virtual$/,
  /^recharts$/,
];
const root = new URL('.', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.tsx?$/.test(e.name) && !/\.(test|testing)\.tsx?$/.test(e.name) && e.name !== 'vite.config.ts'
      ? [path]
      : [];
  });
}

describe('renderer imports', () => {
  it('uses only browser-safe modules, with explicit extensions on relative imports', () => {
    const bad: string[] = [];
    for (const file of sources(root)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(
        /(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'([^']+)'|(?:^|\n)\s*import\s+'([^']+)'/g,
      )) {
        const spec = m[1] ?? m[2] ?? '';
        const ok = ALLOWED.some((re) => re.test(spec)) && (!spec.startsWith('.') || /\.(tsx?|css)$/.test(spec));
        if (!ok) bad.push(`${relative(root, file)}: ${spec}`);
      }
    }
    expect(sources(root).length).toBeGreaterThan(20);
    expect(bad).toEqual([]);
  });
});
