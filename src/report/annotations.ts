// GitHub Actions workflow commands for problems at file:line:col (`::error file=…,line=…,col=…::message`). Pure.

/** One problem to annotate; file, line and col are optional (an annotation without them is shown on the run). */
export interface Annotation {
  severity: 'error' | 'warning' | 'notice';
  message: string;
  file?: string;
  line?: number;
  col?: number;
  title?: string;
}

/**
 * GitHub shows about ten annotations of each type per step: more are dropped without a word. Each type is capped
 * here, and the last line says how many more there were.
 */
export const ANNOTATIONS_PER_TYPE = 10;

/** Escape a message: %, CR and LF, as the runner's own toolkit does (`escapeData`). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escape a property value: also `:` and `,`, which separate properties (`escapeProperty`). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(a: Annotation): string {
  const props: string[] = [];
  if (a.file) props.push(`file=${escapeProperty(a.file)}`);
  if (a.line) props.push(`line=${a.line}`);
  if (a.line && a.col) props.push(`col=${a.col}`);
  if (a.title) props.push(`title=${escapeProperty(a.title)}`);
  return `::${a.severity}${props.length ? ` ${props.join(',')}` : ''}::${escapeData(a.message)}`;
}

/** The workflow commands for `list`, at most ANNOTATIONS_PER_TYPE of each severity, then "+N more" of each. */
export function renderGithubAnnotations(list: readonly Annotation[], perType = ANNOTATIONS_PER_TYPE): string {
  const shown = new Map<string, number>();
  const more = new Map<string, number>();
  const lines: string[] = [];
  for (const a of list) {
    const n = shown.get(a.severity) ?? 0;
    if (n < perType) {
      shown.set(a.severity, n + 1);
      lines.push(command(a));
    } else more.set(a.severity, (more.get(a.severity) ?? 0) + 1);
  }
  for (const [severity, n] of more) {
    lines.push(command({ severity: severity as Annotation['severity'], message: `+${n} more ${severity}${n === 1 ? '' : 's'} not shown (GitHub shows about ${perType} per type); see the job log` }));
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** A diagnostic (rules file, tests file or input) as an annotation; the hint joins the message. */
export function diagnosticAnnotation(d: { severity: 'error' | 'warning'; message: string; code?: string; file?: string; line?: number; col?: number; hint?: string }): Annotation {
  return { severity: d.severity, message: d.hint ? `${d.message} (${d.hint})` : d.message, file: d.file, line: d.line, col: d.col, title: d.code ? `icp ${d.code}` : undefined };
}
