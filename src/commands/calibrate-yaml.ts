// Source-preserving edits of a rules file: numbers replaced where they stand, evidence comments on the line above,
// nodes replaced or keys added with the file's own indentation. Everything else stays byte for byte.
import { isMap, isScalar, isSeq, type Document, type Node } from 'yaml';

/** The marker of the comment lines calibrate writes (and replaces when run again). */
export const MARK = 'icp calibrate:';

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Collects edits against the original text and applies them all at once. */
export class SourceEdits {
  private readonly edits: Edit[] = [];
  private readonly notes = new Map<number, string[]>();

  constructor(
    readonly text: string,
    readonly doc: Document,
  ) {}

  node(path: readonly (string | number)[]): Node | undefined {
    return this.doc.getIn(path, true) as Node | undefined;
  }

  private lineStart(pos: number): number {
    return this.text.lastIndexOf('\n', pos - 1) + 1;
  }

  /** Add a comment line above the line holding `pos` (several notes on one line are joined). */
  note(pos: number, message: string): void {
    const ls = this.lineStart(pos);
    const list = this.notes.get(ls) ?? [];
    list.push(message);
    this.notes.set(ls, list);
  }

  /** Replace the number at `path` (it must exist) and note the evidence above it. Returns false when not a scalar. */
  setNumber(path: readonly (string | number)[], value: number, comment?: string, text = formatNumber(value)): boolean {
    const n = this.node(path);
    if (!isScalar(n) || !n.range) return false;
    this.edits.push({ start: n.range[0], end: n.range[1], text });
    if (comment) this.note(n.range[0], comment);
    return true;
  }

  /**
   * Append an item to the block sequence at `seqPath`, after its last item, with the dash where the items' dashes
   * are: `lines` are the item's lines without the dash (the first follows it, the others are indented under it).
   * Returns false for a flow or empty sequence (not edited).
   */
  appendItem(seqPath: readonly (string | number)[], lines: string[], comment?: string): boolean {
    const s = this.node(seqPath);
    if (!isSeq(s) || s.flow || !s.range || !s.items.length) return false;
    const first = s.items[0] as Node;
    if (!first.range) return false;
    const dash = this.text.lastIndexOf('-', first.range[0]);
    if (dash < this.lineStart(first.range[0])) return false;
    const ind = ' '.repeat(this.column(dash));
    const under = ' '.repeat(first.range[0] - dash);
    const at = this.trimEnd(s.range[0], s.range[1]);
    const eol = this.text.indexOf('\n', at);
    const pos = eol < 0 ? this.text.length : eol;
    const body = [...(comment ? [`${ind}# ${MARK} ${comment}`] : []), ...lines.map((l, i) => (i ? `${ind}${under}${l}` : `${ind}-${under.slice(1)}${l}`))];
    this.edits.push({ start: pos, end: pos, text: `\n\n${body.join('\n')}` });
    return true;
  }

  /** Replace the value node at `path` by YAML text; `block` lines are indented like the node. */
  replaceNode(path: readonly (string | number)[], flowText: string, blockLines?: string[]): boolean {
    const n = this.node(path);
    if (!n?.range) return false;
    const [start, end] = n.range;
    const before = this.text.slice(this.lineStart(start), start);
    const trimmedEnd = this.trimEnd(start, end);
    if (blockLines && /^[ \t]*(- )?$/.test(before) && !before.includes('-')) {
      const ind = before;
      this.edits.push({ start, end: trimmedEnd, text: blockLines.map((l, i) => (i ? ind : '') + l).join('\n') });
    } else this.edits.push({ start, end: trimmedEnd, text: flowText });
    return true;
  }

  /** A node's end without the trailing blank lines and comments that belong to what follows. */
  private trimEnd(start: number, end: number): number {
    let e = end;
    while (e > start && /\s/.test(this.text[e - 1]!)) e--;
    return e;
  }

  /**
   * Set `key: valueText` in the block map at `mapPath`: the value replaced when the key exists, else a line added
   * after the map's last line with its keys' indentation. Returns false for a flow map (not edited).
   */
  setKey(mapPath: readonly (string | number)[], key: string, valueText: string, comment?: string): boolean {
    const m = this.node(mapPath);
    if (!isMap(m) || !m.range) return false;
    const pair = m.items.find((p) => isScalar(p.key) && p.key.value === key);
    if (pair && (pair.value as Node | null)?.range) {
      const v = pair.value as Node;
      this.edits.push({ start: v.range![0], end: this.trimEnd(v.range![0], v.range![1]), text: valueText });
      if (comment) this.note(v.range![0], comment);
      return true;
    }
    if (m.flow) return false;
    const first = m.items[0]?.key as Node | undefined;
    if (!first?.range) return false;
    const indent = ' '.repeat(this.column(first.range[0]));
    const at = this.trimEnd(m.range[0], m.range[1]);
    const eol = this.text.indexOf('\n', at);
    const pos = eol < 0 ? this.text.length : eol;
    const lines = [...(comment ? [`${indent}# ${MARK} ${comment}`] : []), `${indent}${key}: ${valueText}`];
    this.edits.push({ start: pos, end: pos, text: `\n${lines.join('\n')}` });
    return true;
  }

  private column(pos: number): number {
    return pos - this.lineStart(pos);
  }

  /**
   * Comment lines `# icp calibrate: …` (continued by `#   …`) before the first line that is not a comment or blank;
   * an earlier such block anywhere in the leading comments is replaced instead.
   */
  header(lines: string[]): void {
    const text = lines.map((l, i) => `${i ? '#  ' : `# ${MARK}`} ${l}`.replace(/\s+$/, '')).join('\n') + '\n';
    const all = this.text.split('\n');
    let pos = 0;
    let oldStart = -1;
    let oldEnd = -1;
    for (const l of all) {
      if (oldStart >= 0 && oldEnd < 0 && !l.startsWith('#   ')) oldEnd = pos;
      if (oldStart < 0 && l.startsWith(`# ${MARK}`)) oldStart = pos;
      if (!/^\s*(#|$)/.test(l)) break;
      pos += l.length + 1;
    }
    if (oldStart >= 0) this.edits.push({ start: oldStart, end: oldEnd < 0 ? pos : oldEnd, text });
    else this.edits.push({ start: pos, end: pos, text });
  }

  /** The edited text. Earlier calibrate comments directly above an annotated line are replaced. */
  apply(): string {
    const all: Edit[] = [...this.edits];
    for (const [ls, msgs] of this.notes) {
      const indent = /^[ \t]*/.exec(this.text.slice(ls))![0].replace(/-/g, ' ');
      // Remove our own earlier comment lines just above.
      let start = ls;
      for (;;) {
        const prev = this.text.lastIndexOf('\n', start - 2) + 1;
        if (start === 0) break;
        const line = this.text.slice(prev, start - 1);
        if (line.trim().startsWith(`# ${MARK}`)) start = prev;
        else break;
      }
      all.push({ start, end: ls, text: msgs.map((m) => `${indent}# ${MARK} ${m}\n`).join('') });
    }
    all.sort((a, b) => b.start - a.start || b.end - a.end);
    let out = this.text;
    let limit = Infinity;
    for (const e of all) {
      if (e.end > limit) throw new Error(`overlapping edits at ${e.start}`);
      out = out.slice(0, e.start) + e.text + out.slice(e.end);
      limit = e.start;
    }
    return out;
  }
}

/** A number as written in a rules file: integers plainly, others with at most two decimals. */
export function formatNumber(x: number): string {
  const r = Math.round(x * 100) / 100;
  return String(r === 0 ? 0 : r);
}
