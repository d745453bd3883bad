import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

/** An embedded PostgreSQL of a test's own, in a child process, that the test can stop and start again. */
export interface PostgresProcess {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  close(): Promise<void>;
}

export async function postgresProcess(dataDir: string, port: number): Promise<PostgresProcess> {
  const child: ChildProcess = fork(join(__dirname, 'postgres-child.ts'), [dataDir, String(port)], {
    execArgv: ['-r', 'ts-node/register/transpile-only'],
    stdio: 'ignore',
  });
  const ask = (cmd: 'start' | 'stop') =>
    new Promise<Record<string, string>>((resolve, reject) => {
      child.once('message', (reply: Record<string, string>) => (reply.error ? reject(new Error(reply.error)) : resolve(reply)));
      child.send({ cmd });
    });
  const { started } = await ask('start');
  return {
    url: started,
    start: async () => void (await ask('start')),
    stop: async () => void (await ask('stop')),
    close: async () => {
      if (child.connected) {
        await ask('stop').catch(() => undefined);
        child.disconnect();
      }
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    },
  };
}
