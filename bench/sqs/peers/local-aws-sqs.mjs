// Starts local-aws-sqs (npm) on 127.0.0.1:PORT with its default options.
// Usage: node peers/local-aws-sqs.mjs PORT
import { createSqsServer } from "local-aws-sqs";

const port = Number(process.argv[2] ?? 0);
const server = await createSqsServer({ port, hostname: "127.0.0.1" });
const addr = server.address();
process.stdout.write(`listening on http://127.0.0.1:${addr.port}\n`);
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
