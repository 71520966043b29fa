// Calibration stub, not an emulator: answers every JSON-protocol SendMessage
// with a canned, valid response (MessageId + MD5OfMessageBody, which the SDK
// checks) and does no other work.  bench.mjs drives it with the same SDK
// SendMessage load as the servers, to show how many msg/s the SDK driver
// itself can produce on this machine: the ceiling of the SDK figures.
// Usage: node null-sqs.mjs PORT
import http from "node:http";
import { createHash, randomUUID } from "node:crypto";

const port = Number(process.argv[2] ?? 0);
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    let out = "{}";
    if (req.headers["x-amz-target"] === "AmazonSQS.SendMessage") {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      const md5 = createHash("md5").update(body.MessageBody ?? "", "utf8").digest("hex");
      out = JSON.stringify({ MessageId: randomUUID(), MD5OfMessageBody: md5 });
    } else if (req.headers["x-amz-target"] === "AmazonSQS.CreateQueue") {
      out = JSON.stringify({ QueueUrl: `http://127.0.0.1:${port}/000000000000/null` });
    }
    res.writeHead(200, { "Content-Type": "application/x-amz-json-1.0", "Content-Length": Buffer.byteLength(out) });
    res.end(out);
  });
});
server.listen(port, "127.0.0.1", () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
