// Where the installed package's files are (package.json, rules/, schema/), from the running module's location.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The directory of icp's package.json: the nearest one above this module. The compiled modules (dist/*.js,
 * dist/commands/*.js) and the bundle (dist/bundle/cli.cjs) sit at different depths, so the path is found, not
 * assumed. Never throws (every command imports it): without a package.json, the version is "unknown" and the
 * directory the module's own, where init then finds no templates and says so. Looked up once a process.
 */
export function packageRoot(): { dir: string; version: string } {
  return (found ??= find());
}

let found: { dir: string; version: string } | undefined;

function find(): { dir: string; version: string } {
  const here = dirname(fileURLToPath(import.meta.url));
  let dir = here;
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'icp') return { dir, version: pkg.version ?? '0.0.0' };
    } catch {
      // no package.json here: look further up
    }
    const up = dirname(dir);
    if (up === dir) return { dir: here, version: 'unknown' };
    dir = up;
  }
}
