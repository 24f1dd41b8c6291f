import { resolve } from 'node:path';
import { computeResults } from '../results/compute.ts';
import { adsOfManifest, readManifestFile } from '../results/manifest-file.ts';
import { readReports } from '../results/read-reports.ts';
import { parseMapping } from '../results/report.ts';
import { resultsTable } from '../results/table.ts';
import { type CliCommand, EXIT_OK, parseOrUsage, UsageError } from './command.ts';

const USAGE = `Usage: vmp results <csv>… --manifest <manifest.json> [--map field=column]… [--json]

  Reads ad platform reports (CSV exports of Meta Ads Manager or TikTok Ads Manager, recognised by their columns;
  any other CSV through --map) and ranks every component (hook, body, call to action, headline) of the batch
  whose manifest.json is given. Rows are matched to ads by adName (also with text the platform appended) or adId;
  rows that match no ad are listed. Several reports add up; the same ad and date range counts once (later file wins).

  --manifest <file>     the manifest.json vmp mix wrote beside the batch (required)
  --map field=column    read a column as a field: adName, adId, impressions, clicks, spend, conversions,
                        hookViews (3- or 2-second views), start, end (repeatable; e.g. --map impressions="Impr.")
  --json                stdout: {"components":[{group,code,impressions,clicks,spend,conversions,ctr,ctrLow,ctrHigh,
                        hookRate,cpa,rank,…}],"unmatched":[…]} (rates as fractions)

Exit code: 0 done; 2 bad usage, a file that is not CSV, or a report without an ad name or impressions column.`;

export const resultsCommand: CliCommand = {
  usage: USAGE,
  async run(args, io) {
    const parsed = parseOrUsage({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        manifest: { type: 'string', short: 'm' },
        map: { type: 'string', multiple: true },
        json: { type: 'boolean' },
      },
    });
    const files = parsed.positionals.map((p) => resolve(p));
    if (files.length === 0) throw new UsageError('Give at least one report CSV.');
    if (!parsed.values.manifest)
      throw new UsageError('--manifest <manifest.json> is required: the batch the reports are about.');
    let mapping: ReturnType<typeof parseMapping>;
    try {
      mapping = parseMapping(parsed.values.map ?? []);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const manifestPath = resolve(parsed.values.manifest);
    const ads = adsOfManifest(await readManifestFile(manifestPath), manifestPath);
    // NotCsvError / MissingColumnsError are ValidationErrors: exit 2 naming the file (and the missing columns).
    const { reports, rows } = await readReports(files, mapping);
    for (const r of reports) for (const w of r.warnings) io.stderr.write(`Warning: ${w}\n`);
    const summary = computeResults(rows, ads);
    if (parsed.values.json) {
      io.stdout.write(`${JSON.stringify({ components: summary.components, unmatched: summary.unmatched })}\n`);
    } else {
      io.stdout.write(resultsTable(summary));
    }
    io.stderr.write(
      `${rows.length} row${rows.length === 1 ? '' : 's'} from ${reports.map((r) => `${r.file} (${r.platform})`).join(', ')}; ${summary.matchedRows} matched, ${summary.unmatched.length} not.\n`,
    );
    return EXIT_OK;
  },
};
