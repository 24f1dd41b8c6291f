import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RenderSettings } from '@vmp/shared';
import { findDocumentProblem, SyncedProjectDoc } from '@vmp/shared/http';
import { afterAll, describe, expect, it } from 'vitest';
import { createContext } from '../core/context.ts';
import { hostPlatform } from '../core/platform.ts';
import { syncPort } from '../core/sync-port.ts';
import { parseReport } from './report.ts';

const root = mkdtempSync(join(tmpdir(), 'vmp-sync-doc-'));
const core = createContext({
  dataDir: join(root, 'data'),
  defaultOutputDir: join(root, 'out'),
  platform: hostPlatform({ PATH: '' }, 'linux'),
});
afterAll(async () => {
  await core.close();
  rmSync(root, { recursive: true, force: true });
});

describe('reports in the sync document', () => {
  it('send cells the server could not store (NUL past the binary check, half a surrogate pair) cleaned', () => {
    const project = core.store.projects.create({
      name: 'Dirty',
      mode: 'manual',
      settings: RenderSettings.parse({}),
      outputDir: join(root, 'out'),
    });
    // The binary check reads the first 4 KB; these cells come after it.
    const filler = Array.from({ length: 400 }, (_, i) => `filler ad ${i},100,1`);
    const csv = ['Ad name,Impressions,Link clicks', ...filler, 'H1-B1\u0000,1000,10', 'H2-B1 \ud800,500,5', ''].join(
      '\n',
    );
    core.store.results.add(project.id, parseReport('dirty.csv', csv));

    const doc = JSON.parse(JSON.stringify(syncPort(core).exportDoc(project.id)));
    expect(findDocumentProblem(doc)).toBeUndefined();
    expect(SyncedProjectDoc.safeParse(doc).success).toBe(true);
    const rows = doc.results[0].rows as unknown[][];
    expect(rows.at(-2)?.[1]).toBe('H1-B1');
    expect(rows.at(-1)?.[1]).toMatch(/^H2-B1 \ufffd+$/);
    expect(rows).toHaveLength(402);
  });
});
