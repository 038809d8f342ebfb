// `icp schema`: print the JSON Schema of the rules file, generated from the zod schema (the single source of truth).
import { Command } from 'commander';
import { z } from 'zod';
import { Rules } from '../rules/schema.js';
import { testsJsonSchema } from '../testing/spec.js';
import { UserError, type ExitStatus } from '../errors.js';
import type { Io } from './shared.js';

/** The JSON Schema of the rules format, as committed in schema/icp-rules.schema.json. */
export function rulesJsonSchema(): Record<string, unknown> {
  // draft-07: what yaml-language-server validates. io 'input': fields with defaults stay optional.
  return z.toJSONSchema(Rules, { target: 'draft-07', io: 'input' }) as Record<string, unknown>;
}

/** The schema as the text `icp schema` prints. */
export function rulesJsonSchemaText(): string {
  return `${JSON.stringify(rulesJsonSchema(), null, 2)}\n`;
}

export function schemaCommand(io: Io, setExit: (status: ExitStatus) => void): Command {
  return new Command('schema')
    .description('print the JSON Schema (draft-07) of the rules file (or of the tests file), for editors and CI checks')
    .argument('[format]', 'rules (default) or tests (the expectations file of icp test)', 'rules')
    .addHelpText(
      'after',
      `
The package ships it as schema/icp-rules.schema.json. Editors using yaml-language-server pick it up from
the first line of a rules file:
  # yaml-language-server: $schema=./node_modules/icp/schema/icp-rules.schema.json
\`icp schema tests\` prints the schema of the tests file (schema/icp-tests.schema.json).`,
    )
    .action((format: string) => {
      if (format !== 'rules' && format !== 'tests') throw new UserError(`schema: "${format}" is not rules or tests`, [], 'icp schema (the rules file) or icp schema tests (the tests file of icp test)');
      io.stdout.write(format === 'tests' ? `${JSON.stringify(testsJsonSchema(), null, 2)}\n` : rulesJsonSchemaText());
      setExit(0);
    });
}
