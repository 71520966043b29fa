// Starts fauxqs (npm) on PORT with request logging off (its CLI, dist/cli.js,
// hard-codes logger: true, which would make every request write a log line).
// fauxqs always binds 0.0.0.0 (hard-coded in startFauxqs); the benchmark only
// talks to it on 127.0.0.1.  Needs Node >= 22.5 (node:sqlite import).
// Usage: node peers/fauxqs.mjs PORT
import { startFauxqs } from "fauxqs";

const port = Number(process.argv[2] ?? 0);
const server = await startFauxqs({ port, logger: false });
process.stdout.write(`listening on http://127.0.0.1:${server.port}\n`);
const stop = () => Promise.resolve(server.stop?.()).finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
