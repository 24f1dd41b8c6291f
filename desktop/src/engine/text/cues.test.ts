import { describe, expect, it } from 'vitest';
import { fitCuesToClip, parseCaptions, parseSrt, parseTimestamp, parseVtt } from './cues.ts';
import { TextFileError } from './errors.ts';
import { parseHeadlines } from './headlines.ts';

const SRT = `1
00:00:00,500 --> 00:00:01,250
Hello <i>there</i>

2
00:00:02,000 --> 00:00:03,000
Two
lines
`;

function thrown(fn: () => unknown): TextFileError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TextFileError);
    return error as TextFileError;
  }
  throw new Error('did not throw');
}

describe('captions files', () => {
  it('reads SRT cues (markup stripped, CRLF and BOM tolerated)', () => {
    expect(parseSrt(SRT)).toEqual([
      { start: 0.5, end: 1.25, text: 'Hello there' },
      { start: 2, end: 3, text: 'Two\nlines' },
    ]);
    expect(parseSrt(`\uFEFF${SRT.replace(/\n/g, '\r\n')}`)).toEqual(parseSrt(SRT));
  });

  it('reads WebVTT cues (short times, ids, settings, NOTE blocks)', () => {
    const vtt = `WEBVTT - demo

NOTE this is skipped

intro
00:01.000 --> 00:02.500 line:80%
<v Ann>Hi</v> &amp; welcome

01:00:00.000 --> 01:00:01.000
late
`;
    expect(parseVtt(vtt)).toEqual([
      { start: 1, end: 2.5, text: 'Hi & welcome' },
      { start: 3600, end: 3601, text: 'late' },
    ]);
    expect(parseCaptions(vtt, 'a.VTT')).toHaveLength(2);
  });

  it('parses timestamps strictly', () => {
    expect(parseTimestamp('00:00:01,5')).toBe(1.5);
    expect(parseTimestamp('1:02.003')).toBeCloseTo(62.003);
    expect(parseTimestamp('00:00:61,000')).toBeUndefined();
    expect(parseTimestamp('soon')).toBeUndefined();
  });

  it('names the file and line of a malformed cue', () => {
    const badTime = thrown(() => parseSrt('1\n00:00:01,000 --> 00:0x:02,000\nhi\n', 'clip.srt'));
    expect(badTime.message).toMatch(/^clip\.srt line 2: .*malformed time/);
    expect(badTime.code).toBe('TEXT_FILE_INVALID');
    const noTiming = thrown(() => parseSrt(`${SRT}\n3\nno timing here\n`, 'clip.srt'));
    expect(noTiming.message).toMatch(/^clip\.srt line 10: a cue needs a timing line/);
    const backwards = thrown(() => parseSrt('1\n00:00:02,000 --> 00:00:01,000\nhi\n', 'x.srt'));
    expect(backwards.message).toMatch(/^x\.srt line 2: the cue ends/);
    const header = thrown(() => parseVtt('00:01.000 --> 00:02.000\nhi\n', 'clip.vtt'));
    expect(header.message).toMatch(/^clip\.vtt line 1: .*WEBVTT/);
  });

  it('cuts a cue running past the clip and drops one starting after it, with warnings naming the file', () => {
    const cues = [
      { start: 0, end: 1, text: 'in' },
      { start: 1.5, end: 4, text: 'runs over' },
      { start: 5, end: 6, text: 'after' },
    ];
    const { cues: fitted, warnings } = fitCuesToClip(cues, 3, '/x/clip.srt');
    expect(fitted).toEqual([
      { start: 0, end: 1, text: 'in' },
      { start: 1.5, end: 3, text: 'runs over' },
    ]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      /^clip\.srt: the cue at 0:01\.500 \("runs over"\) runs past the clip's end \(0:03\.000\); it is cut there\.$/,
    );
    expect(warnings[1]).toMatch(/^clip\.srt: .*"after".*left out/);
  });
});

describe('headlines file', () => {
  it('one headline per non-empty line, comments skipped, line numbers kept', () => {
    expect(parseHeadlines('# hooks\nStop scrolling\n\n  Wait for it  \r\n', 'headlines.txt')).toEqual([
      { line: 2, text: 'Stop scrolling' },
      { line: 4, text: 'Wait for it' },
    ]);
  });

  it('an empty file is an error naming it', () => {
    const error = thrown(() => parseHeadlines('\n  \n# only a comment\n', 'hooks/headlines.txt'));
    expect(error.message).toBe(
      'hooks/headlines.txt: the file has no headlines: write one headline per line, or remove the file.',
    );
    expect(thrown(() => parseHeadlines(`ok\n${'x'.repeat(201)}\n`, 'h.txt')).message).toMatch(/^h\.txt line 2:/);
  });
});
