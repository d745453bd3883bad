import { ChildProcess, execSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'src', 'main.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The production build the processes run; rebuilt when a source file is newer than it. */
export function ensureBuild(): void {
  const stale = !existsSync(MAIN) || Math.max(newestSource(join(ROOT, 'src')), newestSource(join(ROOT, 'migrations'))) > statSync(MAIN).mtimeMs;
  if (stale) execSync('npx nest build', { cwd: ROOT, stdio: 'ignore' });
}

/** Ports this test process has handed out: never handed out twice (services started side by side get their own). */
const handedOut = new Set<number>();

export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}

export interface ServiceProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/**
 * `node dist/src/main.js` as a real process, returned when `waitFor` (/health/ready by default) answers 200. Without a
 * given PORT it takes a free one; a port another process takes between that check and the service's listen
 * (EADDRINUSE) is retried with a new one.
 */
// The deadline only turns a service that never gets ready into a clear failure; a loaded machine can take a minute.
export async function startService(env: Record<string, string>, timeoutMs = 180_000, waitFor = '/health/ready'): Promise<ServiceProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(env, env.PORT ?? String(await freePort()), timeoutMs, waitFor);
    } catch (error) {
      if (env.PORT !== undefined || attempt === 3 || !(error instanceof PortTaken)) throw error;
    }
  }
}

class PortTaken extends Error {}

async function startOnce(env: Record<string, string>, port: string, timeoutMs: number, waitFor: string): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env: { ...process.env, ...env, PORT: port }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      const message = `service exited with ${child.exitCode}:\n${output}`;
      throw output.includes('EADDRINUSE') ? new PortTaken(message) : new Error(message);
    }
    try {
      if ((await fetch(`${url}${waitFor}`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`service not ready after ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
