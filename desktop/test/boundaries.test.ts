import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The layering of desktop/src, checked over the real import graph: the engine and the store sit below everything
// that uses them, and the renderer (a browser page) never reaches for Node.
const src = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');
const UPPER = ['core', 'queue', 'farm', 'host', 'cli', 'main', 'licensing'];
const LOWER = ['engine', 'store'];
const NODE = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts|mjs)$/.test(entry.name) ? [path] : [];
  });
}

/** Every module specifier a file names: static imports and re-exports, side-effect imports, dynamic import(). */
export function specifiers(code: string): string[] {
  const found: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of code.matchAll(pattern)) found.push(m[1]!);
  return found;
}

/** Top folder of desktop/src a path lies in ("engine", "core", …); null outside src. */
function area(path: string): string | null {
  const rel = relative(src, path);
  if (rel.startsWith('..')) return null;
  return rel.split(sep)[0] ?? null;
}

/** "from → to" for every import that breaks the layering. */
export function violations(files: readonly string[], read: (file: string) => string): string[] {
  const bad: string[] = [];
  for (const file of files) {
    const from = area(file);
    const isTest = /\.test\.tsx?$/.test(file);
    for (const spec of specifiers(read(file))) {
      if (from === 'renderer' && !isTest && (NODE.has(spec) || NODE.has(spec.split('/')[0]!))) {
        bad.push(`${relative(src, file)} → ${spec} (the renderer is a browser page: no Node modules)`);
      }
      if (!spec.startsWith('.')) continue;
      const to = area(resolve(dirname(file), spec));
      if (from && LOWER.includes(from) && to && UPPER.includes(to)) {
        bad.push(`${relative(src, file)} → ${spec} (${from}/ may not import ${to}/)`);
      }
    }
  }
  return bad;
}

describe('import boundaries', () => {
  it('engine/ and store/ import nothing above them; the renderer imports no Node module', () => {
    expect(violations(sourceFiles(src), (f) => readFileSync(f, 'utf8'))).toEqual([]);
  });

  it('sees the kinds of imports that would break them', () => {
    const files = [join(src, 'engine', 'a.ts'), join(src, 'renderer', 'b.tsx'), join(src, 'store', 'c.ts')];
    const code: Record<string, string> = {
      [files[0]!]: "import { x } from '../queue/job-draft.ts';\nconst y = await import('../core/app.ts');",
      [files[1]!]: "import { readFile } from 'node:fs/promises';\nimport path from 'path';",
      [files[2]!]: "export { z } from '../licensing/ledger.ts';\nimport '../engine/ok.ts';",
    };
    expect(violations(files, (f) => code[f]!)).toHaveLength(5);
  });
});
