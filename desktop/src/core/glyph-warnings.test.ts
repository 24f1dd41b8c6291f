import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeClip } from '../../test/fixtures/media.ts';
import { call, withTestCore } from '../../test/helpers/core.ts';

const t = withTestCore('glyphs');

describe('text no bundled font can draw', () => {
  it('is named in the plan preview (headline, caption) and in a caption file import; emoji are drawn', async () => {
    const { core, root } = t();
    const media = join(root, 'media');
    const paths = [await makeClip(media, 'hook', { duration: 1 }), await makeClip(media, 'body', { duration: 1 })];
    const { id: projectId } = await call(core, 'projects.create', { name: 'Glyphs' });
    await call(core, 'projects.update', { projectId, mode: 'manual' });
    const { clips } = await call(core, 'clips.import', { projectId, paths });
    const groups = (await call(core, 'projects.get', { projectId })).groups;
    await call(core, 'groups.setClips', { groupId: groups[0]!.id, clipIds: [clips[0]!.id] });
    await call(core, 'groups.setClips', { groupId: groups[1]!.id, clipIds: [clips[1]!.id] });
    await call(core, 'groups.setHeadlines', { groupId: groups[0]!.id, headlines: ['Hot \u{1F525}', 'Odd \uE000'] });
    await call(core, 'clips.setCaptions', {
      clipId: clips[1]!.id,
      cues: [{ start: 0, end: 1, text: 'Gothic \u{10348}' }],
    });

    const { warnings } = await call(core, 'plan.preview', { projectId });
    const glyphs = warnings.filter((w) => w.includes('none of the bundled fonts'));
    expect(glyphs).toEqual([
      `Headline of "${groups[0]!.name}", "Odd \uE000": \uE000 (U+E000) is in none of the bundled fonts and would show as an empty box. Remove or replace it.`,
      'Caption of "body.mp4", "Gothic \u{10348}": \u{10348} (U+10348) is in none of the bundled fonts and would show as an empty box. Remove or replace it.',
    ]);

    writeFileSync(join(media, 'cc.srt'), '1\n00:00:00,000 --> 00:00:00,500\nSpooky \uE001\n');
    const imported = await call(core, 'clips.importCaptions', { clipId: clips[0]!.id, path: join(media, 'cc.srt') });
    expect(imported.warnings).toEqual([
      'cc.srt: a caption, "Spooky \uE001": \uE001 (U+E001) is in none of the bundled fonts and would show as an empty box. Remove or replace it.',
    ]);
  });
});
