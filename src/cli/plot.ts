import {
  chromatogramFigure, pressureFigure, profileFigure, signalFigure, velocityFigure, type CurveLayer, type FigureOptions,
} from '../figures/figures.js';
import { checkFigurePoints } from '../model/limits.js';
import { chromatogram, profiles } from '../solvers/laplace.js';
import { analyteColor, standaloneSvg } from '../figures/plot.js';
import {
  atMostOne, checkOutput, engineOption, loadProblem, numberOption, parse, UsageError, velocityOption, write,
  type Command, type Flags,
} from './common.js';
import { csvOptionHelp, CSV_OPTION_SPEC, csvCliOptions, givenCsvFlags, readColumnsFile } from './csvOptions.js';

const KINDS = ['chromatogram', 'signal', 'profile', 'velocity', 'pressure'] as const;
type Kind = typeof KINDS[number];

/**
 * The chart of a chromatogram file: its signal column (--kind signal, or a file with nothing
 * else), or every other column as an analyte.
 */
function csvFigure(values: Flags, kind: Kind, size: FigureOptions): string {
  const solverOnly = ['time', 'velocity', 'compare', 'engine'].filter((k) => values[k] !== undefined);
  if (solverOnly.length > 0) {
    throw new UsageError(`plot --csv draws the file as it is; --${solverOnly[0]} applies only when solving a problem`);
  }
  if (kind !== 'chromatogram' && kind !== 'signal') {
    throw new UsageError(`plot --csv draws a chromatogram or a signal, got --kind ${kind}`);
  }
  const file = values.csv as string;
  const table = readColumnsFile(file, csvCliOptions(values));
  if (kind === 'signal' || (table.names.length === 1 && table.signal === 0)) {
    if (table.signal < 0) {
      throw new Error(`${file}: no signal column to plot (set --signal-column); columns: ${table.names.join(', ')}`);
    }
    return signalFigure([{ label: table.names[table.signal].trim(), time: table.time, signal: table.values[table.signal],
      color: analyteColor(0) }], size);
  }
  const analytes = table.names.map((name, k) => ({ name, concentration: table.values[k] })).filter((_, k) => k !== table.signal);
  return chromatogramFigure([{ result: { method: file, times: table.time, analytes } }], size);
}

export const plot: Command = {
  summary: 'an SVG figure: chromatogram, signal, profile, velocity or pressure',
  help: `Usage: elution plot [problem.json] [--kind <kind>] [options] --out fig.svg
       elution plot --csv chromatogram.csv [--kind signal] --out fig.svg

Draws one standalone SVG chart (800 x 500 by default) from the problem (default: the BTEX
example) or from a chromatogram CSV: one written by 'elution simulate', or a measured one (read
as 'elution fit' reads it; every column but time must be numeric).

Options:
  --kind <kind>        chromatogram (outlet concentrations, default) | signal (detector signal) |
                       profile (concentrations along the column, needs --time) | velocity | pressure
  --time <s>           time of a profile (s)
  --velocity <model>   variable | constant   (default: the problem's)
  --compare            chromatogram: also draw the other velocity model, dashed
  --csv <file>         plot this CSV (time,<columns>[,signal]) instead of solving a problem;
                       --kind signal draws its signal column, chromatogram all other columns
  --title <text>       chart title
  --width <px>         default 800
  --height <px>        default 500
  --out <file>         SVG file, '-' for stdout   (default: figure.svg)
  --engine <name>      wasm | js
  -h, --help           show this help

Options for --csv:
${csvOptionHelp(23)}`,
  run(args) {
    const { values, positionals } = parse(args, {
      kind: { type: 'string' }, time: { type: 'string' }, velocity: { type: 'string' }, compare: { type: 'boolean' },
      csv: { type: 'string' }, title: { type: 'string' }, width: { type: 'string' }, height: { type: 'string' },
      out: { type: 'string' }, engine: { type: 'string' }, ...CSV_OPTION_SPEC,
    });
    if (values.help) return void console.log(plot.help);
    const kind = (values.kind ?? 'chromatogram') as Kind;
    if (!KINDS.includes(kind)) {
      throw new UsageError(`--kind must be one of ${KINDS.join(', ')}, got ${JSON.stringify(values.kind)}`);
    }
    const size = {
      width: numberOption(values.width, 'width', { min: 200, max: 10000, integer: true }),
      height: numberOption(values.height, 'height', { min: 150, max: 10000, integer: true }),
      title: values.title as string | undefined,
    };
    const out = (values.out as string | undefined) ?? 'figure.svg';
    let svg: string;
    if (values.csv !== undefined) {
      if (positionals.length > 0) throw new UsageError('plot --csv takes no problem file');
      svg = csvFigure(values, kind, size);
    } else {
      const csvFlags = givenCsvFlags(values);
      if (csvFlags.length > 0) throw new UsageError(`${csvFlags[0]} applies only with --csv`);
      const problem = loadProblem(atMostOne(positionals, 'plot'));
      checkOutput(out, '--out');
      checkFigurePoints(problem.output.count);
      const velocity = velocityOption(values.velocity);
      if (velocity) problem.column.velocity = velocity;
      const engine = engineOption(values.engine);
      const time = numberOption(values.time, 'time', { min: 0 });
      if (kind === 'profile') {
        if (time === undefined) throw new UsageError('plot --kind profile needs --time <s>');
        svg = profileFigure(profiles(problem, { times: [time], engine }), 0, size);
      } else if (kind === 'velocity') {
        svg = velocityFigure(problem, size);
      } else if (kind === 'pressure') {
        svg = pressureFigure(problem, size);
      } else if (kind === 'signal') {
        const r = chromatogram(problem, { engine });
        if (!r.signal) throw new Error('plot --kind signal needs a response factor for every analyte (analytes[i].response)');
        svg = signalFigure([{ label: 'detector signal', time: r.times, signal: r.signal, color: analyteColor(0) }], size);
      } else {
        const r = chromatogram(problem, { engine });
        const layers: CurveLayer[] = [{ result: r, label: `${r.velocity} velocity` }];
        if (values.compare) {
          const other = r.velocity === 'variable' ? 'constant' : 'variable';
          const last = chromatogram(problem, { engine, velocity: other, times: [0] }).analytes
            .reduce((m, a) => Math.max(m, a.moments.mean + 6 * a.moments.sigma), problem.output.end);
          const n = Math.ceil(((last - problem.output.start) / (problem.output.end - problem.output.start)) * (problem.output.count - 1)) + 1;
          const times = Float64Array.from({ length: n }, (_, j) => problem.output.start +
            (j * (problem.output.end - problem.output.start)) / (problem.output.count - 1));
          layers.push({ result: chromatogram(problem, { engine, velocity: other, times }), label: `${other} velocity`, style: 'dashed' });
        }
        svg = chromatogramFigure(layers, size);
      }
    }
    const text = standaloneSvg(svg);
    write(out, text);
    if (out !== '-') console.log(`wrote ${out} (${(Buffer.byteLength(text) / 1024).toFixed(1)} kB)`);
  },
};
