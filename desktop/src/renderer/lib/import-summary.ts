import type { ImportResult } from '@vmp/shared/api';

const CAPTION_FILE = /\.(srt|vtt)$/i;
const SHOWN = 3;

const fileName = (path: string) => path.split(/[\\/]/).pop() ?? path;
const andMore = (total: number) => (total > SHOWN ? ` and ${total - SHOWN} more` : '');

/**
 * What the app tells the user after clips were imported: one success line and warnings, each a toast. A clip.srt or
 * clip.vtt beside a clip comes back among `skipped` when its cues were cut or left out (or it could not be read):
 * the clip itself was imported, so those are shown as caption notes.
 */
export function importSummary(result: ImportResult): { success: string | null; warnings: string[] } {
  const added = result.clips.length;
  const warnings = result.clips
    .filter((c) => c.problems.length > 0)
    .slice(0, SHOWN)
    .map((clip) => clip.problems.map((p) => p.message).join(' '));
  const captions = result.skipped.filter((s) => CAPTION_FILE.test(s.path));
  const skipped = result.skipped.filter((s) => !CAPTION_FILE.test(s.path));
  if (captions.length > 0) {
    const notes = captions.slice(0, SHOWN).map((s) => {
      const name = fileName(s.path);
      return s.reason.includes(name) ? s.reason : `${name}: ${s.reason}`;
    });
    const more = captions.length > SHOWN ? ` (and ${captions.length - SHOWN} more)` : '';
    warnings.push(`Captions: ${notes.join(' ')}${more}`);
  }
  if (skipped.length > 0) {
    const first = skipped
      .slice(0, SHOWN)
      .map((s) => `${fileName(s.path)}: ${s.reason}`)
      .join('; ');
    warnings.push(
      `Skipped ${skipped.length} file${skipped.length === 1 ? '' : 's'} — ${first}${andMore(skipped.length)}`,
    );
  }
  return { success: added > 0 ? `Imported ${added} clip${added === 1 ? '' : 's'}.` : null, warnings };
}
