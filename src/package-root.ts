// Where the installed package's files are (package.json, rules/, schema/), from the running module's location.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The directory of icp's package.json: the nearest one above this module. The compiled modules (dist/*.js,
 * dist/commands/*.js) and the bundle (dist/bundle/cli.js) sit at different depths, so the path is found, not
 * assumed.
 */
export function packageRoot(): { dir: string; version: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'icp') return { dir, version: pkg.version ?? '0.0.0' };
    } catch {
      // no package.json here: look further up
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the icp package.json above the running module');
    dir = up;
  }
}
