import {
  chromatogramFigure, overloadFigure, pressureFigure, profileFigure, signalFigure, velocityFigure, type CurveLayer, type FigureOptions,
} from '../figures/figures.js';
import { checkFigurePoints } from '../model/limits.js';
import { chromatogram, profiles } from '../solvers/laplace.js';
import { overloadSeries } from '../solvers/overload.js';
import { ProblemError, type Problem } from '../model/problem.js';
import { analyteColor, standaloneSvg } from '../figures/plot.js';
import {
  atMostOne, checkOutput, engineOption, loadProblem, numberOption, parse, UsageError, velocityOption, write,
  type Command, type Flags,
} from './common.js';
import { csvOptionHelp, CSV_OPTION_SPEC, csvCliOptions, givenCsvFlags, readColumnsFile } from './csvOptions.js';

const KINDS = ['chromatogram', 'signal', 'profile', 'velocity', 'pressure', 'overload'] as const;
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

/** --loadings 0.01,0.3,1,3 as numbers; each is range-checked by overloadSeries. */
function loadingsOption(value: unknown): number[] | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  return text.split(',').map((part) => {
    const x = part.trim() === '' ? NaN : Number(part);
    if (!Number.isFinite(x)) {
      throw new UsageError(`--loadings must be comma-separated numbers K c0/qMax (e.g. 0.01,0.3,1,3), got ${JSON.stringify(part)} in ${JSON.stringify(text)}`);
    }
    return x;
  });
}

/** --diffusion on|off as the chromatogram option; undefined when not given. */
function diffusionFlag(value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw new UsageError(`--diffusion must be "on" or "off", got ${JSON.stringify(value)}`);
}

/** The overload series figure of --analyte (MODEL.md §13). */
function overloadPlot(problem: Problem, values: Flags, engine: 'wasm' | 'js' | undefined, size: FigureOptions): string {
  if (values.analyte === undefined) {
    throw new UsageError(`plot --kind overload needs --analyte <name>, one of ${problem.analytes.map((a) => JSON.stringify(a.name)).join(', ')}`);
  }
  const loadings = loadingsOption(values.loadings);
  let series;
  try {
    series = overloadSeries(problem, values.analyte as string, { loadings, engine, diffusion: diffusionFlag(values.diffusion) });
  } catch (err) {
    // the library's option keys as the command line spells them
    if (err instanceof ProblemError && err.path.startsWith('options.')) {
      const flag = err.path.replace(/^options\.(\w+)/, '--$1');
      throw new UsageError(`${flag}: ${err.message.slice(err.path.length + 2)}`);
    }
    throw err;
  }
  if (series.status.code !== 'success') console.error(`warning: ${series.status.message}`);
  return overloadFigure(series, size);
}

export const plot: Command = {
  summary: 'an SVG figure: chromatogram, signal, profile, velocity, pressure or overload series',
  help: `Usage: elution plot [problem.json] [--kind <kind>] [options] --out fig.svg
       elution plot overload [problem.json] --analyte <name> [--loadings 0.01,0.3,1,3] --out fig.svg
       elution plot --csv chromatogram.csv [--kind signal] --out fig.svg

Draws one standalone SVG chart (800 x 500 by default) from the problem (default: the BTEX
example) or from a chromatogram CSV: one written by 'elution simulate', or a measured one (read
as 'elution fit' reads it; every column but time must be numeric).

Options:
  --kind <kind>        chromatogram (outlet concentrations, default) | signal (detector signal) |
                       profile (concentrations along the column, needs --time) | velocity | pressure |
                       overload (one saturating analyte's peak against injected amount, c/c0 at
                       several loadings K c0/qMax by the Thomas solution; also 'plot overload')
  --analyte <name>     overload: the analyte (isotherm "langmuir" or "anti-langmuir", with qMax)
  --loadings <list>    overload: loadings K c0/qMax, comma-separated, 1e-12 to 100 (Langmuir) or
                       below 1 (anti-Langmuir); default: a tenth, a third, 1x and 3x (Langmuir) or
                       (1 + own)/2 (anti-Langmuir) of the analyte's own loading
  --diffusion <on|off> overload: off neglects the diffusivities (the Thomas solution has none)
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
      out: { type: 'string' }, engine: { type: 'string' }, analyte: { type: 'string' }, loadings: { type: 'string' },
      diffusion: { type: 'string' }, ...CSV_OPTION_SPEC,
    });
    if (values.help) return void console.log(plot.help);
    if (positionals[0] === 'overload') {
      // 'elution plot overload problem.json': the kind as a word
      if (values.kind !== undefined && values.kind !== 'overload') {
        throw new UsageError(`plot overload draws the overload series; --kind ${String(values.kind)} contradicts it`);
      }
      positionals.shift();
      values.kind = 'overload';
    }
    const kind = (values.kind ?? 'chromatogram') as Kind;
    const overloadOnly = ['analyte', 'loadings', 'diffusion'].filter((k) => values[k] !== undefined);
    if (kind !== 'overload' && overloadOnly.length > 0) throw new UsageError(`--${overloadOnly[0]} applies only to plot overload`);
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
      if (kind === 'overload') {
        svg = overloadPlot(problem, values, engine, size);
      } else if (kind === 'profile') {
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
