import { ConfigError } from '../../config/app-config';

/**
 * A command's arguments, or the exit code when there is nothing to run: `--help` prints the usage (0), arguments the
 * parser refuses print why and the usage (2). `parse` answers null for `--help`.
 */
export function readArguments<T>(parse: (argv: string[]) => T | null, usage: string, argv = process.argv.slice(2)): T | number {
  let args: T | null;
  try {
    args = parse(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (!args) {
    console.log(usage);
    return 0;
  }
  return args;
}

/** Runs a command's main and exits with its code; a configuration error is one line, anything else its stack (1). */
export function runCommand(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof ConfigError ? `configuration error: ${error.message}` : error);
      process.exit(1);
    },
  );
}
