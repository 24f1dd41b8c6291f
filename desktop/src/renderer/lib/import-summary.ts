import type { ImportResult } from '@vmp/shared/api';

/** What the app tells the user after clips were imported: one success line and warnings, each a toast. */
export function importSummary(result: ImportResult): { success: string | null; warnings: string[] } {
  const added = result.clips.length;
  const warnings = result.clips
    .filter((c) => c.problems.length > 0)
    .slice(0, 3)
    .map((clip) => clip.problems.map((p) => p.message).join(' '));
  if (result.skipped.length > 0) {
    const first = result.skipped
      .slice(0, 3)
      .map((s) => `${s.path.split(/[\\/]/).pop()}: ${s.reason}`)
      .join('; ');
    const more = result.skipped.length > 3 ? ` and ${result.skipped.length - 3} more` : '';
    warnings.push(`Skipped ${result.skipped.length} file${result.skipped.length === 1 ? '' : 's'} — ${first}${more}`);
  }
  return { success: added > 0 ? `Imported ${added} clip${added === 1 ? '' : 's'}.` : null, warnings };
}
