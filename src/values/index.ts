// Pure value parsers: numbers, dates, booleans, placeholders and categorical text.
export * from './number.js';
export * from './date.js';
export * from './bool.js';
export * from './missing.js';
