// The types CSV reading shares: options, the header, records and rejects, and where to resume mid-input.

/** Text encodings an input can be read in. */
export type Encoding = 'utf8' | 'utf16le' | 'utf16be' | 'windows-1252' | 'latin1';

/** How to read an input; everything is detected when left out. */
export interface ReaderOptions {
  /** ',', ';', '\t', '|' or another single character; undefined = detect from the header line. */
  delimiter?: string;
  /**
   * Default 'auto': BOM, then UTF-16 NUL pattern, else UTF-8. Invalid bytes are an InputError in every mode, and
   * so is an explicit byte encoding (UTF-8, Latin-1, Windows-1252) on input that looks like UTF-16.
   */
  encoding?: Encoding | 'auto';
  /**
   * Largest field and row accepted, default 64 MiB, in characters of decoded text (bytes for ASCII); a larger
   * one is a reject, not a crash, and is skipped without being held in memory.
   */
  maxFieldBytes?: number;
  /** Most fields a row may have, default MAX_FIELDS; a row with more is a reject, skipped the same way. */
  maxFields?: number;
}

/** The header row and how the input is being read. */
export interface HeaderInfo {
  /** Header names exactly as in the file (BOM stripped). */
  names: string[];
  /** Unique addressable keys: trimmed name; blank → `column_<n>` (1-based); duplicates → `Name#2`, `Name#3`. */
  keys: string[];
  /** Human-readable warnings about the header (blank or duplicate names) and a given encoding (UTF-8 read as Latin-1). */
  issues: string[];
  delimiter: string;
  encoding: Encoding;
  /** The line break that ends the header: output written for this input ends its lines the same way. */
  lineBreak: '\n' | '\r\n';
  /** Line number of the header (1). */
  line: number;
  /** Physical line where the data records start (2, unless the header spans lines). */
  dataLine: number;
  /** Byte offset in the input where the data records start; undefined for UTF-16 (offsets do not follow from the text). */
  dataOffset: number | undefined;
}

/** A data record with the header's field count. */
export interface CsvRow {
  /** Physical line (1-based) where the record starts. */
  line: number;
  fields: string[];
  /** The record's exact source text without its line break (and without a dropped trailing delimiter). */
  raw: string;
  /** Set on the input's last record when no line break follows it: the export may have been cut off. */
  unterminated?: true;
}

/** A record that cannot be used, with the reason. */
export interface CsvReject {
  line: number;
  /** E.g. 'expected 12 fields, found 9 (row is short)', 'unclosed quote starting on line 7'. */
  reason: string;
  raw: string;
  /** As for CsvRow. */
  unterminated?: true;
}

/** A row or a reject; distinguish with `'fields' in item`. */
export type CsvItem = CsvRow | CsvReject;

/** An opened CSV input: its header, and its records to be read once. */
export interface CsvSource {
  header: HeaderInfo;
  /** Data records in file order, in batches. Breaking out of the loop must stop reading and release the input. */
  batches(): AsyncGenerator<CsvItem[]>;
}

/** How the data records of an opened CSV are read, to read them again from mid-input (resumeCsv, pieces). */
export interface RecordFormat {
  delimiter: string;
  encoding: Encoding;
  /** Fields per record (the header's). */
  fields: number;
  /** Default DEFAULT_MAX_FIELD. */
  maxFieldBytes?: number;
  /** Default MAX_FIELDS. */
  maxFields?: number;
}

/** Where to resume reading data records mid-input: at a record start, on a known line (see resumeCsv). */
export interface ResumePoint extends RecordFormat {
  /** Physical line of the first record. */
  line: number;
  /** Byte offset in the input of the first record (for error messages). */
  offset: number;
}
