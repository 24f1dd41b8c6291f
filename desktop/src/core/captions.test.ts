import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeClip } from '../../test/fixtures/media.ts';
import { call, callFails, withTestCore } from '../../test/helpers/core.ts';

const t = withTestCore('captions');

describe('captions per clip in the app', () => {
  it('clip.srt beside a clip comes in at import; cues can be edited, re-imported and removed', async () => {
    const { core, root } = t();
    const media = join(root, 'media');
    const path = await makeClip(media, 'talk', { duration: 1 });
    writeFileSync(
      join(media, 'talk.srt'),
      '1\n00:00:00,100 --> 00:00:00,500\nHello\n\n2\n00:00:00,600 --> 00:00:03,000\nLong\n',
    );
    const project = await call(core, 'projects.create', { name: 'Captions' });
    const projectId = project.id;
    const { clips, skipped } = await call(core, 'clips.import', { projectId, paths: [path] });
    const clip = clips[0]!;
    expect(clip.captions).toEqual([
      { start: 0.1, end: 0.5, text: 'Hello' },
      { start: 0.6, end: 1, text: 'Long' },
    ]);
    // The cut cue is reported with the import.
    expect(skipped).toEqual([
      { path: join(media, 'talk.srt'), reason: expect.stringMatching(/runs past the clip's end/) },
    ]);

    const edited = await call(core, 'clips.setCaptions', {
      clipId: clip.id,
      cues: [
        { start: 0.5, end: 0.9, text: 'Second' },
        { start: 0, end: 0.4, text: 'First, edited' },
      ],
    });
    expect(edited.captions?.map((c) => c.text)).toEqual(['First, edited', 'Second']);
    const detail = await call(core, 'projects.get', { projectId });
    expect(detail.clips[0]?.captions).toEqual(edited.captions);

    // As at import (and in the CLI): a cue running past the clip's end is cut there, one starting after it is left
    // out, each with a warning naming the clip.
    const notices: string[] = [];
    const unsubscribe = core.subscribe((e) => {
      if (e.type === 'notice' && e.level === 'warning') notices.push(e.message);
    });
    const past = await call(core, 'clips.setCaptions', {
      clipId: clip.id,
      cues: [
        { start: 2, end: 3, text: 'Late' },
        { start: 0.2, end: 3, text: 'Runs on' },
      ],
    });
    unsubscribe();
    expect(past.captions).toEqual([{ start: 0.2, end: 1, text: 'Runs on' }]);
    expect(notices).toEqual([
      expect.stringMatching(/^talk\.mp4: the cue at 0:00\.200 \("Runs on"\) runs past the clip's end .*cut there\.$/),
      expect.stringMatching(/^talk\.mp4: the cue at 0:02\.000 \("Late"\) starts after the clip ends .*left out\.$/),
    ]);
    await call(core, 'clips.setCaptions', { clipId: clip.id, cues: edited.captions! });

    const broken = join(media, 'broken.vtt');
    writeFileSync(broken, 'WEBVTT\n\n00:00.000 --> later\nhi\n');
    const bad = await callFails(core, 'clips.importCaptions', { clipId: clip.id, path: broken });
    expect(bad).toMatchObject({
      code: 'TEXT_FILE_INVALID',
      message: `${broken} line 3: "00:00.000 --> later" has a malformed time (use hh:mm:ss,mmm).`,
    });
    // Nothing lost: the edited cues are still there.
    expect((await call(core, 'projects.get', { projectId })).clips[0]?.captions).toEqual(edited.captions);

    // The browser build sends the file's text; errors still name it and the line.
    const sent = await call(core, 'clips.importCaptions', {
      clipId: clip.id,
      file: { name: 'sent.vtt', content: 'WEBVTT\n\n00:00.100 --> 00:00.400\nFrom the browser\n' },
    });
    expect(sent).toEqual({ clip: expect.objectContaining({ id: clip.id }), warnings: [] });
    expect(sent.clip.captions).toEqual([{ start: 0.1, end: 0.4, text: 'From the browser' }]);
    // Cues cut at the clip's end come back as warnings the app shows, as they do at clip import.
    const cut = await call(core, 'clips.importCaptions', { clipId: clip.id, path: join(media, 'talk.srt') });
    expect(cut.clip.captions).toHaveLength(2);
    expect(cut.warnings).toEqual([expect.stringMatching(/runs past the clip's end/)]);
    const badSent = await callFails(core, 'clips.importCaptions', {
      clipId: clip.id,
      file: { name: 'sent.srt', content: '1\n00:00:00,000 --> soon\nx\n' },
    });
    expect(badSent).toMatchObject({ code: 'TEXT_FILE_INVALID', message: expect.stringMatching(/^sent\.srt line 2: /) });

    const removed = await call(core, 'clips.setCaptions', { clipId: clip.id, cues: [] });
    expect(removed.captions).toBeUndefined();
  });
});
