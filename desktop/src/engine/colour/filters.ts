import { runFfmpeg } from '../ffmpeg/run.ts';

let cached: Promise<ReadonlySet<string>> | undefined;

/** Names in `ffmpeg -filters` output (" TSC zscale  V->V  ..."). */
export function parseFilterList(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const match = /^\s[.A-Z|]{3}\s+(\w+)\s+\S+->\S+/.exec(line);
    if (match) names.add(match[1]!);
  }
  return names;
}

/** The filters the FFmpeg in use was built with; asked once per process. */
export function availableFilters(): Promise<ReadonlySet<string>> {
  cached ??= runFfmpeg(['-filters'], { label: 'Listing FFmpeg filters', captureStdout: true })
    .then(({ stdout }) => parseFilterList(stdout.toString('utf8')) as ReadonlySet<string>)
    .catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
  return cached;
}

/** Filters the HDR → SDR conversion needs (zscale comes with zimg, which not every FFmpeg build has). */
export const HDR_FILTERS = ['zscale', 'tonemap'] as const;
