// Every sub-command module exports a `command` of this shape; main.ts lists them in one table.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface Command {
  /** One line for `noodsteun --help`. */
  summary: string;
  /** Full text for `noodsteun <cmd> --help`. */
  usage: string;
  /** Runs the command; resolves to the process exit code. */
  run(argv: string[]): Promise<number>;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with strict checking, turning its errors into UsageError. */
export function parseCommandArgs<O extends Options>(argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals });
  } catch (err) {
    throw new UsageError((err as Error).message, { cause: err });
  }
}

export function wantsHelp(argv: string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}
